namespace NetLlm.Abstractions.Tasks;

/// <summary>How NetLLM learns a task.</summary>
public enum TaskKind
{
    /// <summary>Supervised prediction from a dataset (viewport prediction).</summary>
    Prediction,

    /// <summary>Sequential decisions in an environment, learned offline from an experience pool (ABR, CJS).</summary>
    Decision,
}
