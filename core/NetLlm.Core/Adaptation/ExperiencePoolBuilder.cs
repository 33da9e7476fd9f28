using NetLlm.Abstractions.Tasks;
using System.Text.Json.Nodes;

namespace NetLlm.Core.Adaptation;

/// <summary>Accumulates steps into an <see cref="ExperiencePool"/>.</summary>
/// <typeparam name="TState">State type.</typeparam>
public sealed class ExperiencePoolBuilder<TState>
{
    private readonly IStateCodec<TState> _codec;
    private readonly string _taskId;
    private readonly List<long> _actions = [];
    private readonly List<float> _rewards = [];
    private readonly List<bool> _dones = [];
    private readonly List<long> _episodes = [];
    private readonly List<long> _timesteps = [];
    private readonly Dictionary<string, (List<float> Values, List<long> Offsets)> _floats = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (List<long> Values, List<long> Offsets)> _ints = new(StringComparer.Ordinal);
    private readonly Writer _writer;
    private int _components = -1;
    private long _episode;
    private long _timestep;

    /// <summary>Creates a builder for a task's states.</summary>
    /// <param name="taskId">Task id.</param>
    /// <param name="codec">The task's state codec.</param>
    public ExperiencePoolBuilder(string taskId, IStateCodec<TState> codec)
    {
        _taskId = taskId;
        _codec = codec;
        _writer = new Writer(this);
    }

    /// <summary>Steps added so far.</summary>
    public int Count => _rewards.Count;

    /// <summary>Episodes completed so far.</summary>
    public long Episodes => _episode;

    /// <summary>Adds one step; <paramref name="done"/> closes the episode.</summary>
    /// <param name="state">State the action was taken in.</param>
    /// <param name="components">Action components.</param>
    /// <param name="reward">Reward of the action.</param>
    /// <param name="done">Last step of the episode.</param>
    public void Add(TState state, int[] components, double reward, bool done)
    {
        if (_components < 0)
        {
            _components = components.Length;
        }
        else if (components.Length != _components)
        {
            throw new ArgumentException($"every action must have {_components} components (got {components.Length})");
        }

        _writer.Begin();
        _codec.Write(state, _writer);
        _writer.End(Count);
        foreach (var c in components)
        {
            _actions.Add(c);
        }

        _rewards.Add((float)reward);
        _dones.Add(done);
        _episodes.Add(_episode);
        _timesteps.Add(_timestep);
        _timestep++;
        if (done)
        {
            _episode++;
            _timestep = 0;
        }
    }

    /// <summary>Builds the pool (an unfinished last episode is marked done).</summary>
    /// <param name="info">Provenance: policies, seeds, setting.</param>
    public ExperiencePool Build(JsonObject info)
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("the experience pool is empty: no step was collected");
        }

        var dones = _dones.ToArray();
        dones[^1] = true;
        var n = Count;
        var actions = new long[n, _components];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < _components; j++)
            {
                actions[i, j] = _actions[(i * _components) + j];
            }
        }

        return new ExperiencePool(
            _taskId,
            _codec.Version,
            actions,
            _rewards.ToArray(),
            dones,
            _episodes.ToArray(),
            _timesteps.ToArray(),
            _floats.ToDictionary(kv => kv.Key, kv => (kv.Value.Values.ToArray(), kv.Value.Offsets.ToArray()), StringComparer.Ordinal),
            _ints.ToDictionary(kv => kv.Key, kv => (kv.Value.Values.ToArray(), kv.Value.Offsets.ToArray()), StringComparer.Ordinal),
            info);
    }

    private sealed class Writer(ExperiencePoolBuilder<TState> owner) : IStateWriter
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        public void Begin() => _seen.Clear();

        public void End(int step)
        {
            foreach (var (name, (_, offsets)) in owner._floats)
            {
                if (!_seen.Contains(name))
                {
                    throw new InvalidOperationException($"state codec wrote no '{name}' array for step {step}; every step must write the same arrays");
                }

                _ = offsets;
            }

            foreach (var name in owner._ints.Keys)
            {
                if (!_seen.Contains(name))
                {
                    throw new InvalidOperationException($"state codec wrote no '{name}' array for step {step}; every step must write the same arrays");
                }
            }
        }

        public void Floats(string name, ReadOnlySpan<float> values)
        {
            if (!owner._floats.TryGetValue(name, out var a))
            {
                if (owner.Count > 0)
                {
                    throw new InvalidOperationException($"state codec wrote a new array '{name}' at step {owner.Count}; every step must write the same arrays");
                }

                a = ([], [0]);
                owner._floats[name] = a;
            }

            _seen.Add(name);
            foreach (var v in values)
            {
                a.Values.Add(v);
            }

            a.Offsets.Add(a.Values.Count);
        }

        public void Ints(string name, ReadOnlySpan<long> values)
        {
            if (!owner._ints.TryGetValue(name, out var a))
            {
                if (owner.Count > 0)
                {
                    throw new InvalidOperationException($"state codec wrote a new array '{name}' at step {owner.Count}; every step must write the same arrays");
                }

                a = ([], [0]);
                owner._ints[name] = a;
            }

            _seen.Add(name);
            foreach (var v in values)
            {
                a.Values.Add(v);
            }

            a.Offsets.Add(a.Values.Count);
        }
    }
}
