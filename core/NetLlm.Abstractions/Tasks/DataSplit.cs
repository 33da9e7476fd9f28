namespace NetLlm.Abstractions.Tasks;

/// <summary>Which part of a prediction task's dataset to load.</summary>
public enum DataSplit
{
    /// <summary>The split the options name (what <c>test</c> evaluates).</summary>
    Configured,

    /// <summary>The training split (<c>adapt</c>).</summary>
    Train,

    /// <summary>The validation split (<c>adapt</c>'s checkpoint selection).</summary>
    Valid,
}
