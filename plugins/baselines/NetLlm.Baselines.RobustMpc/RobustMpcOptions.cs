using NetLlm.Abstractions.Options;

namespace NetLlm.Baselines.RobustMpc;

/// <summary>Options of <c>abr.mpc</c>.</summary>
public sealed record RobustMpcOptions
{
    /// <summary>Read the throughput history rounded to float32, as the original's experience-pool generator does.</summary>
    [Option("RobustMPC reads the state rounded to float32 (the original's experience-pool generator does)", Verbs = VerbScope.Test | VerbScope.Collect)]
    public bool MpcFloat32State { get; init; }
}
