using NetLlm.Abstractions.Options;

namespace NetLlm.Core.Engine;

/// <summary>How a prediction task's test runs its predictors.</summary>
public sealed record PredictionTestOptions
{
    /// <summary>Inputs per call for predictors that batch (<see cref="Abstractions.Policies.IBatchPolicy{TObservation, TAction}"/>).</summary>
    [Option("inputs per call for predictors that batch", Minimum = 1, Maximum = 65536, Verbs = VerbScope.Test, Tasks = TaskKinds.Prediction)]
    public int BatchSize { get; init; } = 64;

    /// <summary>Use only the first N samples (0: all).</summary>
    [Option("use only the first N samples (0: all)", Minimum = 0, Maximum = int.MaxValue, Verbs = VerbScope.Test, Tasks = TaskKinds.Prediction)]
    public int Limit { get; init; }
}
