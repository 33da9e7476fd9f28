using NetLlm.Abstractions.Environments;
using NetLlm.Abstractions.Spaces;

namespace Sample.NetLlmBaseline.Tests;

/// <summary>
/// A minimal environment of the target task's shape for the conformance checks: it replays one throughput series;
/// the observation is the last <c>history</c> samples, the action a prediction of the next <c>horizon</c> ones, the
/// reward minus their mean absolute error.
/// </summary>
internal sealed class SeriesReplayEnvironment : IEnvironment<float[], float[]>
{
    private readonly float[] _series;
    private readonly int _history;
    private readonly int _horizon;
    private int _position;

    public SeriesReplayEnvironment(float[] series, int history, int horizon)
    {
        _series = series;
        _history = history;
        _horizon = horizon;
        ObservationSpace = new BoxSpace(0, 1000, history);
        ActionSpace = new BoxSpace(0, 1000, horizon);
    }

    public string Id => "test/SeriesReplay-v0";

    public ISpace<float[]> ObservationSpace { get; }

    public ISpace<float[]> ActionSpace { get; }

    public ResetResult<float[]> Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        _position = _history;
        return new ResetResult<float[]>(_series[(_position - _history).._position], EmptyInfo.Instance);
    }

    public StepResult<float[]> Step(float[] action)
    {
        if (!ActionSpace.Contains(action))
        {
            throw new ArgumentException("invalid action", nameof(action));
        }

        var error = action.Select((a, i) => Math.Abs(a - _series[_position + i])).Average();
        _position++;
        var done = _position + _horizon > _series.Length;
        return new StepResult<float[]>(_series[(_position - _history).._position], -error, done, false, EmptyInfo.Instance);
    }

    public void Dispose()
    {
    }
}
