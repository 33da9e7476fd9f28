using NetLlm.Abstractions.Spaces;

namespace Sample.NetLlmDecisionTask.Environment;

/// <summary>
/// What the agent sees before a step: the last <see cref="LinkConstants.History"/> capacities of every link
/// (Mbit/s, link-major: <c>History[link * History + t]</c>, oldest first), the link used in the previous step and the
/// step index.
/// </summary>
/// <param name="History">Capacities, <c>Links x History</c> values, link-major.</param>
/// <param name="Current">Link used in the previous step (0 at the start).</param>
/// <param name="Step">Steps taken in this episode.</param>
public sealed record LinkObservation(float[] History, int Current, int Step)
{
    /// <summary>The capacity of <paramref name="link"/> <paramref name="back"/> steps ago (1: the last step).</summary>
    /// <param name="link">Link index.</param>
    /// <param name="back">Steps back, 1..History.</param>
    public float Capacity(int link, int back) => History[(link * LinkConstants.History) + LinkConstants.History - back];
}

/// <summary>The observation space: histories of finite non-negative capacities and a valid link.</summary>
public sealed class LinkObservationSpace : ISpace<LinkObservation>
{
    /// <inheritdoc />
    public bool Contains(LinkObservation value) =>
        value is not null
        && value.History.Length == LinkConstants.Links * LinkConstants.History
        && value.History.All(v => float.IsFinite(v) && v >= 0)
        && value.Current is >= 0 and < LinkConstants.Links
        && value.Step >= 0;

    /// <inheritdoc />
    public LinkObservation Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var history = new float[LinkConstants.Links * LinkConstants.History];
        for (var i = 0; i < history.Length; i++)
        {
            history[i] = (float)(random.NextDouble() * 20);
        }

        return new LinkObservation(history, random.Next(LinkConstants.Links), 0);
    }

    /// <inheritdoc />
    public string Describe() => $"LinkObservation({LinkConstants.Links} links x {LinkConstants.History} steps, current link)";
}
