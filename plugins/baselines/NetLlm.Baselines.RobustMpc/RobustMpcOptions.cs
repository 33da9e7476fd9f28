using NetLlm.Abstractions.Options;

namespace NetLlm.Baselines.RobustMpc;

/// <summary>Options of <c>abr.mpc</c>.</summary>
public sealed record RobustMpcOptions
{
    /// <summary>Read the throughput history rounded to float32, as the original's experience-pool generator does.</summary>
    [Option("RobustMPC reads the state rounded to float32 (the original's experience-pool generator does)", Verbs = VerbScope.Test | VerbScope.Collect)]
    public bool MpcFloat32State { get; init; }

    /// <summary>
    /// Weight of the largest recent forecast error in the forecast's discount: forecast = harmonic mean / (1 + w x
    /// error). 1 is RobustMPC (the original); 0 is plain MPC; larger is more cautious.
    /// </summary>
    [Option("RobustMPC's error weight w: forecast = harmonic mean / (1 + w x the largest recent relative error); 1 is RobustMPC, 0 plain MPC", Verbs = VerbScope.Test | VerbScope.Collect, Minimum = 0, Maximum = 100)]
    public double MpcErrorWeight { get; init; } = 1;
}
