using NetLlm.Abstractions.Environments;
using NetLlm.Abstractions.Spaces;
using Sample.NetLlmDecisionTask.Data;

namespace Sample.NetLlmDecisionTask.Environment;

/// <summary>
/// Link selection over capacity traces, in Gymnasium's shape. Episode k replays trace <c>k mod traces</c> from a
/// start drawn from the environment's random stream (seeded at the first <see cref="Reset"/>, continued afterwards).
/// Every step the agent picks a link; the reward is that link's capacity in the step (Mbit/s), times
/// <c>1 - switchCost</c> when the link differs from the previous step's. Then all links' capacities of the step join
/// the history. An episode ends after <c>steps</c> steps or at the end of the trace (terminated).
/// </summary>
public sealed class LinkEnvironment : IEnvironment<LinkObservation, int>
{
    private readonly IReadOnlyList<LinkTrace> _traces;
    private readonly int _steps;
    private readonly double _switchCost;
    private Random _random = new(0);
    private int _episode = -1;
    private LinkTrace? _trace;
    private int _start;
    private int _length;
    private LinkObservation _observation = new(new float[LinkConstants.Links * LinkConstants.History], 0, 0);

    /// <summary>Creates the environment.</summary>
    /// <param name="traces">Capacity traces (at least one; each longer than the history).</param>
    /// <param name="steps">Steps per episode.</param>
    /// <param name="switchCost">Fraction of a step lost when switching, in [0, 1].</param>
    public LinkEnvironment(IReadOnlyList<LinkTrace> traces, int steps, double switchCost)
    {
        ArgumentNullException.ThrowIfNull(traces);
        if (traces.Count == 0)
        {
            throw new ArgumentException("link environment: no traces");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        if (switchCost is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(switchCost), switchCost, "the switch cost is a fraction in [0, 1]");
        }

        _traces = traces;
        _steps = steps;
        _switchCost = switchCost;
    }

    /// <summary>Number of traces (one episode each per run by default).</summary>
    public int TraceCount => _traces.Count;

    /// <summary>The trace of the current episode.</summary>
    public LinkTrace CurrentTrace => _trace ?? throw new InvalidOperationException("call Reset first");

    /// <summary>Steps of the current episode.</summary>
    public int EpisodeLength => _length;

    /// <inheritdoc />
    public string Id => "sample-link/LinkSelection-v0";

    /// <inheritdoc />
    public ISpace<LinkObservation> ObservationSpace { get; } = new LinkObservationSpace();

    /// <inheritdoc />
    public ISpace<int> ActionSpace { get; } = new DiscreteSpace(LinkConstants.Links);

    /// <inheritdoc />
    public ResetResult<LinkObservation> Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        if (seed is { } s)
        {
            _random = new Random(s);
            _episode = -1;
        }

        _episode++;
        _trace = _traces[_episode % _traces.Count];
        var available = _trace.Steps - LinkConstants.History;
        _length = Math.Min(_steps, available);
        _start = _random.Next(available - _length + 1);
        _observation = new LinkObservation(Window(_start), 0, 0);
        return new ResetResult<LinkObservation>(_observation, EmptyInfo.Instance);
    }

    /// <inheritdoc />
    public StepResult<LinkObservation> Step(int action)
    {
        var trace = CurrentTrace;
        if (action is < 0 or >= LinkConstants.Links)
        {
            throw new ArgumentOutOfRangeException(nameof(action), action, $"choose a link in 0..{LinkConstants.Links - 1}");
        }

        if (_observation.Step >= _length)
        {
            throw new InvalidOperationException("the episode has ended; call Reset");
        }

        var row = _start + LinkConstants.History + _observation.Step;
        var reward = Reward(trace.Capacity(row, action), action != _observation.Current, _switchCost);
        var step = _observation.Step + 1;
        _observation = new LinkObservation(Window(_start + step), action, step);
        return new StepResult<LinkObservation>(_observation, reward, step >= _length, false, EmptyInfo.Instance);
    }

    /// <summary>The reward of using a link of <paramref name="capacity"/> for a step.</summary>
    /// <param name="capacity">Capacity in Mbit/s.</param>
    /// <param name="switched">The link differs from the previous step's.</param>
    /// <param name="switchCost">Fraction lost when switching.</param>
    public static double Reward(double capacity, bool switched, double switchCost) => switched ? capacity * (1 - switchCost) : capacity;

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private float[] Window(int first)
    {
        var trace = CurrentTrace;
        var history = new float[LinkConstants.Links * LinkConstants.History];
        for (var link = 0; link < LinkConstants.Links; link++)
        {
            for (var t = 0; t < LinkConstants.History; t++)
            {
                history[(link * LinkConstants.History) + t] = trace.Capacity(first + t, link);
            }
        }

        return history;
    }
}
