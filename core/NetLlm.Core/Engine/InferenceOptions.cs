using NetLlm.Abstractions.Options;

namespace NetLlm.Core.Engine;

/// <summary>How an adapted run directory acts when it is tested (decision tasks).</summary>
public sealed record InferenceOptions
{
    /// <summary>Take the most likely choice instead of sampling (the original samples).</summary>
    [Option("take the most likely action instead of sampling (adapted runs and sampling baselines)", Verbs = VerbScope.Test | VerbScope.Collect, Tasks = TaskKinds.Decision)]
    public bool Argmax { get; init; }

    /// <summary>The original's inference context: never cleared between episodes, w+1 steps.</summary>
    [Option("adapted runs: never clear the decision context between episodes and keep w+1 steps (the original's behaviour)", Verbs = VerbScope.Test | VerbScope.Collect, Tasks = TaskKinds.Decision)]
    public bool OriginalContext { get; init; }

    /// <summary>Recompute the whole window at every decision instead of using the KV cache.</summary>
    [Option("adapted runs: recompute the whole context window at every decision instead of using the KV cache", Verbs = VerbScope.Test | VerbScope.Collect, Tasks = TaskKinds.Decision)]
    public bool Recompute { get; init; }

    /// <summary>Leave the timestep embedding off action tokens at inference (the original's behaviour for multi-component actions).</summary>
    [Option("adapted runs: no timestep embedding on action tokens at inference (the original's behaviour for multi-component actions)", Verbs = VerbScope.Test | VerbScope.Collect, Tasks = TaskKinds.Decision)]
    public bool OriginalActionTimestep { get; init; }

    /// <summary>Target return = this × the largest return in the pool (null: the run's).</summary>
    [Option("adapted runs: target return = this x the largest return in the pool (default: the run's)", Minimum = -1e6, Maximum = 1e6, Verbs = VerbScope.Test | VerbScope.Collect, Tasks = TaskKinds.Decision)]
    public double? TargetReturnScale { get; init; }

    /// <summary>Sampling temperature of adapted runs: choices are drawn from softmax(logits / T).</summary>
    [Option("adapted runs: sample from softmax(logits / T); 1 is the learned distribution, smaller is greedier (ignored when the most likely action is taken)", Minimum = 0.01, Maximum = 100, Verbs = VerbScope.Test | VerbScope.Collect, Tasks = TaskKinds.Decision)]
    public double Temperature { get; init; } = 1.0;
}
