namespace NetLlm.Abstractions.Models;

/// <summary>
/// A prediction task's NetLLM model: encoder slots, heads and the supervised model. The engine creates, in this order,
/// the encoders, the model and the heads.
/// </summary>
/// <typeparam name="TSample">Sample type.</typeparam>
/// <typeparam name="TInput">Predictor input type.</typeparam>
/// <typeparam name="TPrediction">Prediction type.</typeparam>
public sealed record PredictionModelDesign<TSample, TInput, TPrediction>
{
    /// <summary>Encoder slots, in creation order.</summary>
    public required IReadOnlyList<EncoderSlot> Encoders { get; init; }

    /// <summary>Heads, in creation order.</summary>
    public required IReadOnlyList<HeadSlot> Heads { get; init; }

    /// <summary>Creates the model (after the encoders, before the heads).</summary>
    public required Func<ModelContext, ISupervisedModel<TSample, TInput, TPrediction>> CreateModel { get; init; }
}
