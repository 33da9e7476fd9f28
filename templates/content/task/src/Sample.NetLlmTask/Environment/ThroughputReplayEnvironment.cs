using System.Globalization;
using NetLlm.Abstractions.Environments;
using NetLlm.Abstractions.Spaces;
using Sample.NetLlmTask.Data;

namespace Sample.NetLlmTask.Environment;

/// <summary>
/// Bandwidth prediction as an environment (Gymnasium shape): an episode replays one trace; the observation is the
/// last <c>history</c> throughputs (Mbit/s), the action is the prediction of the next <c>horizon</c> ones, the reward
/// is minus their mean absolute error, and the episode moves one sample forward per step until no full horizon is
/// left. <see cref="Reset"/> takes the trace from the option <c>trace</c> (an index) or draws it with the seed.
/// The step's <c>Info</c> holds the true throughputs under <c>target</c> (diagnostics for metrics).
/// </summary>
public sealed class ThroughputReplayEnvironment : IEnvironment<float[], float[]>
{
    private readonly IReadOnlyList<ThroughputTrace> _traces;
    private readonly int _history;
    private readonly int _horizon;
    private Random _random = new(0);
    private ThroughputTrace? _trace;
    private int _position;

    /// <summary>Creates the environment over <paramref name="traces"/>; every trace must hold history + horizon samples.</summary>
    /// <param name="traces">The traces replayed.</param>
    /// <param name="history">Observed samples.</param>
    /// <param name="horizon">Predicted samples.</param>
    public ThroughputReplayEnvironment(IReadOnlyList<ThroughputTrace> traces, int history, int horizon)
    {
        ArgumentNullException.ThrowIfNull(traces);
        if (traces.Count == 0)
        {
            throw new ArgumentException("the environment needs at least one trace", nameof(traces));
        }

        var tooShort = traces.FirstOrDefault(t => t.Count < history + horizon);
        if (tooShort is not null)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"trace {tooShort.Name} has {tooShort.Count} samples; history {history} + horizon {horizon} are needed"), nameof(traces));
        }

        _traces = traces;
        _history = history;
        _horizon = horizon;
        ObservationSpace = new BoxSpace(0, ThroughputTraceReader.MaxMbps, history);
        ActionSpace = new BoxSpace(0, ThroughputTraceReader.MaxMbps, horizon);
    }

    /// <inheritdoc />
    public string Id => ThroughputTask.TaskId + "/Replay-v0";

    /// <inheritdoc />
    public ISpace<float[]> ObservationSpace { get; }

    /// <inheritdoc />
    public ISpace<float[]> ActionSpace { get; }

    /// <summary>Number of steps an episode on trace <paramref name="index"/> lasts.</summary>
    /// <param name="index">Trace index.</param>
    public int EpisodeLength(int index) => _traces[index].Count - _history - _horizon + 1;

    /// <inheritdoc />
    public ResetResult<float[]> Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        if (seed is { } s)
        {
            _random = new Random(s);
        }

        var index = options is not null && options.TryGetValue("trace", out var value) && value is not null
            ? Convert.ToInt32(value, CultureInfo.InvariantCulture)
            : _random.Next(_traces.Count);
        if (index < 0 || index >= _traces.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"trace index {index} is outside 0..{_traces.Count - 1}");
        }

        _trace = _traces[index];
        _position = _history;
        return new ResetResult<float[]>(Observe(), EmptyInfo.Instance);
    }

    /// <inheritdoc />
    public StepResult<float[]> Step(float[] action)
    {
        if (_trace is null)
        {
            throw new InvalidOperationException($"{Id}: call Reset before Step");
        }

        if (!ActionSpace.Contains(action))
        {
            throw new ArgumentException($"{Id}: the action must hold {_horizon} throughputs in [0, {ThroughputTraceReader.MaxMbps}] Mbps", nameof(action));
        }

        var target = new float[_horizon];
        double error = 0;
        for (var i = 0; i < _horizon; i++)
        {
            target[i] = _trace.Mbps[_position + i];
            error += Math.Abs(action[i] - target[i]);
        }

        _position++;
        var terminated = _position + _horizon > _trace.Count;
        var observation = Observe();
        var info = new Dictionary<string, object?> { ["target"] = target };
        return new StepResult<float[]>(observation, -error / _horizon, terminated, false, info);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private float[] Observe()
    {
        var observation = new float[_history];
        for (var i = 0; i < _history; i++)
        {
            observation[i] = _trace!.Mbps[_position - _history + i];
        }

        return observation;
    }
}
