namespace NetLlm.Tasks.ViewportPrediction.Adaptation;

/// <summary>Names used in the <c>run.json</c> of an adapted VP run (a supervised <c>netllm-run</c>).</summary>
public static class ViewportRunManifest
{
    /// <summary>The <c>kind</c> of a supervised run.</summary>
    public const string Kind = "prediction";

    /// <summary>Key of the model settings (<see cref="Model.VpModelOptions.ToSettings"/>).</summary>
    public const string ModelSettings = "model_settings";

    /// <summary>Key of the training data description.</summary>
    public const string Data = "data";
}
