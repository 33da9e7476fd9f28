using NetLlm.Abstractions.Plugins;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Core.Options;

namespace NetLlm.Core.Engine;

/// <summary>
/// Everything one verb runs with, as the host parsed it: the task, the context (verb, seed, data root, progress,
/// cancellation), the setting, option values by name (configuration defaults and command line), the policies, the
/// adaptation options, model options and encoder choices, and the output path.
/// </summary>
public sealed record VerbRequest
{
    /// <summary>The task.</summary>
    public required ITask Task { get; init; }

    /// <summary>Verb, seed, data root, progress, cancellation.</summary>
    public required TaskContext Context { get; init; }

    /// <summary>Loaded plugins.</summary>
    public required IPluginRegistry Registry { get; init; }

    /// <summary>The setting named on the command line, or null.</summary>
    public string? Setting { get; init; }

    /// <summary>The configuration file's values for the task's options.</summary>
    public IReadOnlyList<OptionInput> ConfiguredOptions { get; init; } = [];

    /// <summary>The task's options given on the command line.</summary>
    public IReadOnlyList<OptionInput> TaskOptions { get; init; } = [];

    /// <summary>Policy ids or adapted run directories (test, collect, eval).</summary>
    public IReadOnlyList<string> Policies { get; init; } = [];

    /// <summary>
    /// Values of policy options by name: each applies to every named policy whose options record has that option, and
    /// to the engine's own options for adapted runs (<see cref="InferenceOptions"/>, <see cref="PredictionTestOptions"/>).
    /// </summary>
    public IReadOnlyList<OptionInput> PolicyOptions { get; init; } = [];

    /// <summary>Adaptation hyper-parameters (adapt).</summary>
    public AdaptationOptions Adaptation { get; init; } = new();

    /// <summary>Values of the task's model options (adapt).</summary>
    public IReadOnlyList<OptionInput> ModelOptions { get; init; } = [];

    /// <summary>Encoders named for slots (adapt).</summary>
    public IReadOnlyList<EncoderChoice> Encoders { get; init; } = [];

    /// <summary>Collect: the part of a sharded collection to run (its policies only), or null for the whole.</summary>
    public CollectionShard? Shard { get; init; }

    /// <summary>Output: the pool file (collect), the run directory (adapt), a results folder (test), or null.</summary>
    public string? Output { get; init; }

    /// <summary>The verb.</summary>
    public TaskVerb Verb => Context.Verb;

    /// <summary>The seed.</summary>
    public int Seed => Context.Seed;
}
