namespace NetLlm.Abstractions.Tasks;

/// <summary>
/// Optional for a task: an embedded default for <c>netllm demo</c> — the whole NetLLM pipeline (collect for decision
/// tasks, adapt, test against baselines) on data the task can make without a data root, and on real data when the
/// data root has it.
/// </summary>
/// <typeparam name="TOptions">The task's options record.</typeparam>
public interface IDemoTask<TOptions>
    where TOptions : class
{
    /// <summary>The demo.</summary>
    DemoPlan<TOptions> Demo { get; }
}

/// <summary>What <c>netllm demo</c> runs for a task.</summary>
/// <typeparam name="TOptions">The task's options record.</typeparam>
public sealed record DemoPlan<TOptions>
    where TOptions : class
{
    /// <summary>Baselines the experience comes from and the adapted policy is compared with, in table order.</summary>
    public required IReadOnlyList<string> Policies { get; init; }

    /// <summary>
    /// Policies whose experience the pool is collected from (decision tasks), null for <see cref="Policies"/>. An expert
    /// may be privileged (an offline optimum that sees the future): the adapted policy itself sees only causal state.
    /// Experts that are not loaded or lack their data are left out; when none remains, <see cref="Policies"/> are used.
    /// </summary>
    public IReadOnlyList<string>? Experts { get; init; }

    /// <summary>
    /// Options of the collection (decision tasks) or of training (prediction tasks) without a data root, from the
    /// defaults and the run's seed (for example generated traces seeded by it).
    /// </summary>
    public required Func<TOptions, int, TOptions> Train { get; init; }

    /// <summary>Options of the test without a data root (for example other generated traces than training's).</summary>
    public required Func<TOptions, int, TOptions> Test { get; init; }

    /// <summary>What the embedded data is, for the table title (for example <c>generated traces</c>).</summary>
    public required string EmbeddedTitle { get; init; }

    /// <summary>The setting to train on when the data root has the task's required data, or null to stay embedded.</summary>
    public string? DataTrainSetting { get; init; }

    /// <summary>The setting to test on when the data root has the task's required data.</summary>
    public string? DataTestSetting { get; init; }

    /// <summary>What the real data is, for the table title (for example <c>fcc-test / video1</c>).</summary>
    public string? DataTitle { get; init; }

    /// <summary>
    /// Decision tasks: training episodes played after each adaptation epoch to keep the best checkpoint (0 keeps the
    /// last epoch's); <c>netllm demo --eval-episodes</c> overrides it.
    /// </summary>
    public int EvalEpisodes { get; init; }

    /// <summary>This task's demo is what <c>netllm demo</c> runs when no task is named (one task should claim it).</summary>
    public bool IsDefault { get; init; }
}
