using NetLlm.Abstractions.Environments;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Spaces;
using NetLlm.Abstractions.Tasks;

namespace NetLlm.Adaptation.Tests.Toy;

/// <summary>A state of the toy task: which of three actions pays this step, and a second cue for two-part actions.</summary>
public sealed record ToyState(int Good, int Cue, int Step);

/// <summary>
/// A toy decision task: every step one of three actions pays 1 (shown in the state), the others 0; episodes last
/// <see cref="Length"/> steps. Actions have one component (the choice) or, in the two-component variant, a second
/// component that pays 0.5 more when it equals the state's cue.
/// </summary>
public sealed class ToyEnvironment(int length, bool twoComponents) : IEnvironment<ToyState, int[]>
{
    private Random _random = new(0);
    private ToyState _state = new(0, 0, 0);

    public int Length { get; } = length;

    public string Id => "toy/Choice-v0";

    public ISpace<ToyState> ObservationSpace => throw new NotSupportedException();

    public ISpace<int[]> ActionSpace => throw new NotSupportedException();

    public ResetResult<ToyState> Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        if (seed is { } s)
        {
            _random = new Random(s);
        }

        _state = Draw(0);
        return new ResetResult<ToyState>(_state, EmptyInfo.Instance);
    }

    public StepResult<ToyState> Step(int[] action)
    {
        var reward = action[0] == _state.Good ? 1.0 : 0.0;
        if (twoComponents && action[1] == _state.Cue)
        {
            reward += 0.5;
        }

        var next = _state.Step + 1;
        var done = next >= Length;
        _state = Draw(next);
        return new StepResult<ToyState>(_state, reward, done, false, EmptyInfo.Instance);
    }

    private ToyState Draw(int step) => new(_random.Next(3), _random.Next(2), step);

    public void Dispose()
    {
    }
}

/// <summary>A behaviour policy: right with probability <c>skill</c>, otherwise uniform.</summary>
public sealed class ToyBehaviour(string id, double skill, int seed, bool twoComponents) : IPolicy<ToyState, int[]>
{
    private readonly Random _random = new(seed);

    public string Id { get; } = id;

    public void BeginEpisode()
    {
    }

    public int[] Act(ToyState observation)
    {
        var first = _random.NextDouble() < skill ? observation.Good : _random.Next(3);
        if (!twoComponents)
        {
            return [first];
        }

        var second = _random.NextDouble() < skill ? observation.Cue : _random.Next(2);
        if (observation.Step % 5 == 0 && observation.Cue == 0)
        {
            second = 0;
        }

        return [first, second];
    }

    public void Dispose()
    {
    }
}

public sealed class ToyCodec : IStateCodec<ToyState>
{
    public int Version => 1;

    public void Write(ToyState state, IStateWriter writer) => writer.Ints("state", [state.Good, state.Cue, state.Step]);

    public ToyState Read(IStateReader reader)
    {
        var v = reader.Ints("state");
        return new ToyState((int)v[0], (int)v[1], (int)v[2]);
    }
}
