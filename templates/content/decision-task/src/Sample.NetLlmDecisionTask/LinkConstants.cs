namespace Sample.NetLlmDecisionTask;

/// <summary>Fixed facts of the task and the ids it is known by.</summary>
public static class LinkConstants
{
    /// <summary>The task id (<c>--task</c>).</summary>
    public const string TaskId = "sample-link";

    /// <summary>Links to choose from.</summary>
    public const int Links = 3;

    /// <summary>Past steps of every link's capacity an observation holds.</summary>
    public const int History = 8;

    /// <summary>
    /// The encoder that fills the model's <c>history</c> slot unless another is named with <c>--encoder history=ID</c>
    /// (template parameter EncoderId).
    /// </summary>
    public const string EncoderId = "encoder.sample-series";

    /// <summary>The modality of the <c>history</c> slot (template parameter EncoderModality).</summary>
    public const string EncoderModality = "sample-modality";

    /// <summary>Where <c>--setting traces</c> reads trace files, under the data root.</summary>
    public const string TracesFolder = TaskId + "/traces";
}
