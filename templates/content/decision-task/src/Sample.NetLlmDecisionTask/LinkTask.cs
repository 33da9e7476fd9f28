using NetLlm.Abstractions.Environments;
using NetLlm.Abstractions.Models;
using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Tasks;
using Sample.NetLlmDecisionTask.Data;
using Sample.NetLlmDecisionTask.Environment;
using Sample.NetLlmDecisionTask.Model;
using Sample.NetLlmDecisionTask.Policies;
using Sample.NetLlmDecisionTask.Scoring;
using TorchSharp;

namespace Sample.NetLlmDecisionTask;

/// <summary>
/// The link selection task (<c>sample-link</c>) through the typed decision contract. The engine in NetLlm.Core runs
/// <c>collect</c>, <c>adapt</c>, <c>test</c> and <c>eval</c> through it; the host needs no change to run it.
/// </summary>
public sealed class LinkTask : IDecisionTask<LinkObservation, int, LinkOptions, LinkModelOptions>
{
    /// <summary>Name of the model's head.</summary>
    public const string Head = "link_head";

    /// <inheritdoc />
    public TaskInfo Info { get; } = new()
    {
        Id = LinkConstants.TaskId,
        Title = "Link selection",
        Kind = TaskKind.Decision,
        Metric = new MetricInfo("mean_throughput", "Mbit/s", true, "mean throughput per step over all episodes; a step on a new link loses --switch-cost of its capacity")
        {
            Label = "mean throughput",
            ItemLabel = "episode",
            ItemQuantity = "mean throughput",
            Components =
            [
                new MetricComponent(LinkRunScorer.SwitchRate, "switch rate"),
                new MetricComponent(LinkRunScorer.SwitchLoss, "switching loss (Mbit/s)"),
            ],
        },
        Description = "Pick one of three links every step from their recent capacities; switching links costs part of the step.",
        Baselines = [GreedyLinkPolicy.PolicyId, RandomLinkPolicy.PolicyId],
        Data =
        [
            new(LinkConstants.TracesFolder, LinkTraceReader.Pattern, 1, true, "your own link capacity traces (see the README: one line per step, three capacities in Mbit/s)", LinkTraceReader.Validate),
        ],
    };

    /// <inheritdoc />
    public IReadOnlyList<ITaskSetting> Settings { get; } =
    [
        new TaskSetting<LinkOptions>("default", "generated traces, switch cost 0.5", o => o with { Traces = null, SwitchCost = 0.5 }) { DefaultFor = VerbScope.All },
        new TaskSetting<LinkOptions>("traces", $"the trace files under the data root's {LinkConstants.TracesFolder}", o => o with { Traces = LinkConstants.TracesFolder }),
        new TaskSetting<LinkOptions>("costly", "generated traces, switching loses 90 % of a step", o => o with { Traces = null, SwitchCost = 0.9 }),
    ];

    /// <inheritdoc />
    public EpisodeProtocol Protocol => EpisodeProtocol.Default;

    /// <inheritdoc />
    public IStateCodec<LinkObservation> States { get; } = new LinkStateCodec();

    /// <inheritdoc />
    public IActionCodec<LinkObservation, int> Actions { get; } = new LinkActionCodec();

    /// <inheritdoc />
    public IEnvironment<LinkObservation, int> CreateEnvironment(LinkOptions options, TaskContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        var traces = options.Traces is null
            ? LinkTraceGenerator.Generate(options.GeneratedTraces, options.Steps + LinkConstants.History + 16, options.TraceSeed)
            : LinkTraceReader.LoadFolder(context.ResolvePath(options.Traces, "option --traces"));
        return new LinkEnvironment(traces, options.Steps, options.SwitchCost);
    }

    /// <inheritdoc />
    public int Episodes(LinkOptions options, IEnvironment<LinkObservation, int> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Episodes ?? (environment as LinkEnvironment ?? throw new ArgumentException($"{LinkConstants.TaskId} runs in a {nameof(LinkEnvironment)}", nameof(environment))).TraceCount;
    }

    /// <inheritdoc />
    public IRunScorer<LinkObservation, int> CreateScorer(LinkOptions options, ScoringContext context) => new LinkRunScorer();

    /// <inheritdoc />
    public DecisionModelDesign<LinkObservation> DesignModel(LinkModelOptions options) => new()
    {
        Encoders =
        [
            new EncoderSlot(
                LinkTokenizer.HistorySlot,
                LinkConstants.EncoderModality,
                typeof(torch.Tensor),
                typeof(torch.Tensor),
                [LinkConstants.Links, LinkConstants.History],
                LinkConstants.EncoderId,
                "capacity history [links, steps], scaled"),
        ],
        Heads = [new HeadSlot(Head, HeadKind.Categorical, LinkConstants.Links, "the link of the next step")],
        CreateTokenizer = context => new LinkTokenizer(context, options),
    };
}
