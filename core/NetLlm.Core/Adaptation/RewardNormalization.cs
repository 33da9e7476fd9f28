namespace NetLlm.Core.Adaptation;

/// <summary>How rewards are normalised over the pool before returns-to-go are summed (see <see cref="ReturnConditioning"/>).</summary>
public enum RewardNormalization
{
    /// <summary>(r − min) / (max − min), in [0, 1]: the original's. Where most rewards are zero and the rest costs, every
    /// zero-reward step adds about 1, so the return-to-go counts the steps left.</summary>
    MinMax,

    /// <summary>r / (max − min): no shift, so zero rewards add nothing and costs stay negative; the return-to-go is the
    /// (scaled) reward still to come.</summary>
    Range,
}
