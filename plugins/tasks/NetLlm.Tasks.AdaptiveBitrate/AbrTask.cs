using System.Text.Json.Nodes;
using NetLlm.Abstractions.Environments;
using NetLlm.Abstractions.Models;
using NetLlm.Abstractions.Serving;
using NetLlm.Abstractions.Tasks;
using NetLlm.Tasks.AdaptiveBitrate.Bench;
using NetLlm.Tasks.AdaptiveBitrate.Model;
using NetLlm.Tasks.AdaptiveBitrate.Scoring;
using NetLlm.Tasks.AdaptiveBitrate.Serving;
using NetLlm.Tasks.AdaptiveBitrate.Settings;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Tasks.AdaptiveBitrate;

/// <summary>
/// The adaptive bitrate streaming task (<c>abr</c>): the original's chunk-level simulator (<see cref="AbrEnvironment"/>,
/// one episode per trace), its settings, QoE and result files, and the NetLLM ABR model (<see cref="AbrModelDesign"/>).
/// The engine runs every verb; the original's test loop asks the policy once more on each video's final observation
/// (<see cref="Protocol"/>), which keeps RobustMPC's error history and sampling policies' streams as in the original.
/// </summary>
public sealed class AbrTask : IDecisionTask<AbrObservation, int, AbrOptions, AbrModelOptions>, ITaskBenchmark<AbrOptions>, IDemoTask<AbrOptions>, IServableTask<AbrObservation, int, AbrOptions>
{
    /// <inheritdoc />
    public TaskInfo Info => AbrTaskInfo.Info;

    /// <inheritdoc />
    public IReadOnlyList<ITaskSetting> Settings => AbrSettings.All;

    /// <inheritdoc />
    public EpisodeProtocol Protocol { get; } = new() { AskOnFinalObservation = true };

    /// <inheritdoc />
    public IStateCodec<AbrObservation> States { get; } = new AbrStateCodec();

    /// <inheritdoc />
    public IActionCodec<AbrObservation, int> Actions { get; } = new AbrActionCodec();

    /// <inheritdoc />
    public DemoPlan<AbrOptions> Demo { get; } = new()
    {
        Policies = ["abr.bba", "abr.mpc", "abr.genet"],
        Experts = ["abr.mpc"],
        Train = (o, seed) => AbrSettings.Synthetic.Change(o) with { SyntheticCount = 80, SyntheticSeed = seed },
        Test = (o, seed) => AbrSettings.Synthetic.Change(o) with { SyntheticCount = 40, SyntheticSeed = seed + 1 },
        EmbeddedTitle = "generated traces",
        DataTrainSetting = AbrSettings.Train.Name,
        DataTestSetting = AbrSettings.Default.Name,
        DataTitle = "fcc-test / video1",
        EvalEpisodes = 40,
    };

    /// <inheritdoc />
    public IEnvironment<AbrObservation, int> CreateEnvironment(AbrOptions options, TaskContext context) =>
        new AbrEnvironment(AbrScenarioLoader.Load(options, context));

    /// <inheritdoc />
    public int Episodes(AbrOptions options, IEnvironment<AbrObservation, int> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Episodes ?? (environment as AbrEnvironment
            ?? throw new ArgumentException($"abr runs in an {nameof(AbrEnvironment)}, got {environment?.GetType().Name ?? "null"}", nameof(environment))).TraceCount;
    }

    /// <inheritdoc />
    public IRunScorer<AbrObservation, int> CreateScorer(AbrOptions options, ScoringContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new AbrRunScorer(context.ResultsFolder);
    }

    /// <inheritdoc />
    public DecisionModelDesign<AbrObservation> DesignModel(AbrModelOptions options) => AbrModelDesign.Create(options);

    /// <inheritdoc />
    public JsonObject RunBenchmark(AbrOptions options, TaskContext context, bool quick) => AbrBenchmark.Run(this, options, context, quick);

    /// <inheritdoc />
    public IServingProtocol<AbrObservation, int> CreateServing(AbrOptions options, TaskContext context) => AbrServingProtocol.Create(options, context);
}
