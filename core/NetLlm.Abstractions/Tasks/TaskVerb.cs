namespace NetLlm.Abstractions.Tasks;

/// <summary>The verbs the engine runs for a task (the paper's RL_Collect, Adapt and Test APIs, plus the benchmark).</summary>
public enum TaskVerb
{
    /// <summary>Run existing policies and write an experience pool (RL_Collect).</summary>
    Collect,

    /// <summary>Adapt a backbone with LoRA plus the task's encoder and head; write a run directory (Adapt).</summary>
    Adapt,

    /// <summary>Evaluate a baseline or an adapted run on a setting (Test).</summary>
    Test,

    /// <summary>Run the task's performance benchmark.</summary>
    Bench,
}
