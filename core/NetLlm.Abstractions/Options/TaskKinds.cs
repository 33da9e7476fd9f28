namespace NetLlm.Abstractions.Options;

/// <summary>The kinds of task an engine option applies to.</summary>
[Flags]
public enum TaskKinds
{
    /// <summary>Prediction tasks (supervised).</summary>
    Prediction = 1,

    /// <summary>Decision tasks (offline RL from an experience pool).</summary>
    Decision = 2,

    /// <summary>Both kinds.</summary>
    All = Prediction | Decision,
}
