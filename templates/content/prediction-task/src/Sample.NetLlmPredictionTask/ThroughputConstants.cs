namespace Sample.NetLlmPredictionTask;

/// <summary>Fixed facts of the task and the ids it is known by.</summary>
public static class ThroughputConstants
{
    /// <summary>The task id (<c>--task</c>).</summary>
    public const string TaskId = "sample-bw";

    /// <summary>Past throughput samples a prediction sees.</summary>
    public const int History = 8;

    /// <summary>Future samples predicted.</summary>
    public const int Horizon = 2;

    /// <summary>The encoder that fills the model's <c>history</c> slot unless another is named (<c>--encoder history=ID</c>).</summary>
    public const string EncoderId = "encoder.series-cnn";

    /// <summary>The modality of the <c>history</c> slot.</summary>
    public const string EncoderModality = "series";

    /// <summary>Where <c>--setting traces</c> reads trace files, under the data root.</summary>
    public const string TracesFolder = TaskId + "/traces";
}
