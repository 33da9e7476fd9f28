using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Environments;
using NetLlm.Abstractions.Models;
using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Adaptation.Tests.Toy;

/// <summary>Options of the toy task: episode length and the two-component variant.</summary>
public sealed record ToyOptions
{
    [Option("steps per episode", Minimum = 1, Maximum = 1000)]
    public int Length { get; init; } = 8;

    [Option("actions have a second component (the cue)")]
    public bool TwoComponents { get; init; }

    [Option("episodes per run", Minimum = 1, Maximum = 100000)]
    public int Episodes { get; init; } = 10;
}

/// <summary>Model options of the toy task.</summary>
public sealed record ToyModelOptions
{
    [Option("the second head exists (two-component actions)")]
    public bool TwoComponents { get; init; }
}

/// <summary>
/// The toy decision task through the typed contract: <see cref="ToyEnvironment"/>, the mean return per episode as its
/// metric, a one-hot encoder slot (filled by <see cref="OneHotEncoderProvider"/>), and heads of 3 and 2 choices.
/// </summary>
public sealed class ToyDecisionTask : IDecisionTask<ToyState, int[], ToyOptions, ToyModelOptions>, IDemoTask<ToyOptions>
{
    public TaskInfo Info { get; } = new()
    {
        Id = "toy",
        Title = "Toy choices",
        Kind = TaskKind.Decision,
        Metric = new MetricInfo("mean_return", string.Empty, true, "mean return per episode") { Label = "mean return", ItemLabel = "episode" },
        Baselines = ["toy.random", "toy.expert"],
    };

    public IReadOnlyList<ITaskSetting> Settings { get; } =
    [
        new TaskSetting<ToyOptions>("default", "8 steps, one component", o => o with { Length = 8, TwoComponents = false }) { DefaultFor = VerbScope.All },
        new TaskSetting<ToyOptions>("long", "16 steps", o => o with { Length = 16 }),
        new TaskSetting<ToyOptions>("two", "8 steps, two components", o => o with { Length = 8, TwoComponents = true }),
    ];

    public EpisodeProtocol Protocol => EpisodeProtocol.Default;

    public IStateCodec<ToyState> States { get; } = new ToyCodec();

    public IActionCodec<ToyState, int[]> Actions { get; } = new Identity();

    public DemoPlan<ToyOptions> Demo { get; } = new()
    {
        Policies = ["toy.random", "toy.expert"],
        Experts = ["toy.expert", "toy.missing"],
        Train = (o, seed) => o with { Episodes = 60 },
        Test = (o, seed) => o with { Episodes = 20 },
        EmbeddedTitle = "toy episodes",
        DataTrainSetting = "long",
        DataTestSetting = "default",
        DataTitle = "toy data",
        EvalEpisodes = 4,
    };

    public IEnvironment<ToyState, int[]> CreateEnvironment(ToyOptions options, TaskContext context) => new ToyEnvironment(options.Length, options.TwoComponents);

    public int Episodes(ToyOptions options, IEnvironment<ToyState, int[]> environment) => options.Episodes;

    public IRunScorer<ToyState, int[]> CreateScorer(ToyOptions options, ScoringContext context) => new Scorer();

    public DecisionModelDesign<ToyState> DesignModel(ToyModelOptions options) => new()
    {
        Encoders =
        [
            new EncoderSlot("state_token", "one-hot", typeof(Tensor), typeof(Tensor), [3], OneHotEncoderProvider.EncoderId, "the paying action, one-hot"),
        ],
        Heads = options.TwoComponents
            ? [new HeadSlot("head0", HeadKind.Categorical, 3, "the choice"), new HeadSlot("head1", HeadKind.Categorical, 2, "the cue")]
            : [new HeadSlot("head0", HeadKind.Categorical, 3, "the choice")],
        CreateTokenizer = context => new ToyTokenizer(context, options.TwoComponents),
    };

    private sealed class Identity : IActionCodec<ToyState, int[]>
    {
        public int[] ToComponents(ToyState observation, int[] action) => action;

        public int[] FromComponents(ToyState observation, int[] components) => components;
    }

    private sealed class Scorer : IRunScorer<ToyState, int[]>
    {
        private readonly List<ScoredItem> _episodes = [];
        private double _return;

        public void BeginEpisode(ToyState first, IEnvironment<ToyState, int[]> environment) => _return = 0;

        public void Step(in ToyState observation, int[] action, in StepResult<ToyState> step) => _return += step.Reward;

        public void EndEpisode(IEnvironment<ToyState, int[]> environment) => _episodes.Add(new ScoredItem($"episode {_episodes.Count}", _return));

        public RunScore Complete() => new() { Metric = _episodes.Average(e => e.Value), Items = _episodes };
    }
}

/// <summary>Segment 0: the one-hot slot token and a step token on even steps; segment 1: the cue token.</summary>
public sealed class ToyTokenizer : IDecisionTokenizer<ToyState>
{
    private readonly IModalityEncoder<Tensor> _state;
    private readonly Linear _extra;
    private readonly Linear _cue;
    private readonly Linear _action;
    private readonly bool _two;

    public ToyTokenizer(ModelContext context, bool two)
    {
        _two = two;
        _state = context.Encoder<IModalityEncoder<Tensor>>("state_token");
        var d = context.EmbeddingDim;
        _extra = nn.Linear(1, d);
        _cue = nn.Linear(5, d);
        _action = nn.Linear(5, d);
        Modules = [new("extra_token", _extra), new("cue_token", _cue), new("action_embed", _action)];
    }

    public IReadOnlyList<KeyValuePair<string, nn.Module>> Modules { get; }

    public SegmentTokens EncodeSegment(int component, IReadOnlyList<ToyState> observations, IReadOnlyList<int[]> prefixes)
    {
        using var scope = NewDisposeScope();
        var n = observations.Count;
        if (component == 0)
        {
            var oneHot = zeros(n, 3);
            var steps = zeros(n, 1);
            for (var i = 0; i < n; i++)
            {
                oneHot[i, observations[i].Good] = 1;
                steps[i, 0] = observations[i].Step / 10f;
            }

            var tokens = cat([_state.Encode(oneHot), _extra.forward(steps).unsqueeze(1)], 1);
            return new SegmentTokens(tokens.MoveToOuterDisposeScope(), observations.Select(s => s.Step % 2 == 0 ? 2 : 1).ToArray());
        }

        var cue = zeros(n, 5);
        for (var i = 0; i < n; i++)
        {
            cue[i, observations[i].Cue] = 1;
            cue[i, 2 + prefixes[i][0]] = 1;
        }

        return new SegmentTokens(_cue.forward(cue).unsqueeze(1).MoveToOuterDisposeScope(), Enumerable.Repeat(1, n).ToArray());
    }

    public Tensor? ValidChoices(int component, IReadOnlyList<ToyState> observations, IReadOnlyList<int[]> prefixes)
    {
        if (component == 0)
        {
            return null;
        }

        var valid = ones(observations.Count, 2, dtype: ScalarType.Bool);
        for (var i = 0; i < observations.Count; i++)
        {
            valid[i, 1] = !(observations[i].Step % 5 == 0 && observations[i].Cue == 0);
        }

        return valid;
    }

    public Tensor EmbedAction(IReadOnlyList<ToyState> observations, IReadOnlyList<int[]> actions)
    {
        using var scope = NewDisposeScope();
        var x = zeros(observations.Count, 5);
        for (var i = 0; i < observations.Count; i++)
        {
            x[i, actions[i][0]] = 1;
            if (_two)
            {
                x[i, 3 + actions[i][1]] = 1;
            }
        }

        return _action.forward(x).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
    }
}

/// <summary>A test encoder plugin: <c>Linear(k, d)</c> over one-hot vectors of width k, one token.</summary>
public sealed class OneHotEncoderProvider : IEncoderProvider<NoOptions>
{
    public const string EncoderId = "test.one-hot";

    public string Id => EncoderId;

    public string Modality => "one-hot";

    public string Description => "Linear(k, d) over one-hot vectors";

    public Type InputType => typeof(Tensor);

    public Type OutputType => typeof(Tensor);

    public IModalityEncoder Create(EncoderContext context, NoOptions options) => new Encoder(checked((int)context.ItemShape[0]), context.Width);

    private sealed class Encoder : nn.Module<Tensor, Tensor>, IModalityEncoder<Tensor>
    {
#pragma warning disable IDE1006
        private readonly Linear proj;
#pragma warning restore IDE1006

        public Encoder(int k, int d)
            : base("OneHot")
        {
            EmbeddingDim = d;
            proj = nn.Linear(k, d);
            RegisterComponents();
        }

        public string Modality => "one-hot";

        public int EmbeddingDim { get; }

        public nn.Module Module => this;

        public Tensor Encode(Tensor input) => forward(input);

        public override Tensor forward(Tensor input) => proj.forward(input).unsqueeze(1);
    }
}

/// <summary>Behaviour policies of the toy task as a plugin would export them.</summary>
public sealed class ToyPolicyProvider(string id, double skill, int seedOffset) : IPolicyProvider<ToyState, int[], ToyPolicyOptions>
{
    public string Id { get; } = id;

    public string TaskId => "toy";

    public string Description => $"right with probability {skill}";

    public IPolicy<ToyState, int[]> Create(PolicyContext context, ToyPolicyOptions options) =>
        new ToyBehaviour(Id, options.Skill ?? skill, context.Seed + seedOffset, ((ToyOptions)context.TaskOptions!).TwoComponents);
}

/// <summary>Options of the toy behaviour policies.</summary>
public sealed record ToyPolicyOptions
{
    [Option("probability of the right action (default: the policy's)", Minimum = 0, Maximum = 1)]
    public double? Skill { get; init; }
}
