using NetLlm.Abstractions.Environments;
using NetLlm.Abstractions.Spaces;
using NetLlm.Tasks.AdaptiveBitrate.Data;
using NetLlm.Tasks.AdaptiveBitrate.Randomness;

namespace NetLlm.Tasks.AdaptiveBitrate.Simulation;

/// <summary>
/// The Pensieve/Genet chunk-level streaming simulator of the original (<c>baseline_special/env.py</c>), with the
/// original's test loop bookkeeping (state update, QoE, clock) folded in. One episode streams one 48-chunk video over
/// one trace; episodes cycle through the scenario's traces.
/// <para>
/// <see cref="Reset"/> starts the next trace and downloads chunk 0 at quality 0 without asking the policy, as the
/// original does (its first tuple per episode is the default action with a zero state, and it is dropped from
/// experience pools); the returned observation is the state after chunk 0. Each <see cref="Step"/> downloads the next
/// chunk at the given quality; the 47th step ends the video (<c>Terminated</c>). The original then asks its policy
/// once more and discards the answer: runners that want its exact random streams and MPC error history call the
/// policy on the terminal observation too.
/// </para>
/// <para>
/// Randomness: the original seeds numpy's global generator with 998244353 when it builds the environment, shuffles
/// the trace order and draws missing start pointers (non-deterministic scenarios), then draws the delay noise from
/// the same stream. This class does the same with its own <see cref="NumpyRandomState"/>, so deterministic policies
/// (BBA, MPC) see exactly the original's episodes; a sampling policy keeps its own generator (in the original it
/// shares the global one).
/// </para>
/// Steps allocate nothing: observations are values and the info dictionary is <see cref="EmptyInfo.Instance"/>.
/// </summary>
public sealed class AbrEnvironment : IEnvironment<AbrObservation, int>
{
    private readonly AbrScenario _scenario;
    private readonly int[] _order;
    private readonly int[] _pointers;
    private readonly long[] _sizes;
    private readonly double[] _nextSizesMegabytes;
    private NumpyRandomState _random;
    private AbrStateBuffer _state;
    private double[] _times = [];
    private double[] _mbps = [];
    private int _position = -1;
    private int _pointer;
    private double _lastTime;
    private double _bufferMs;
    private int _chunkCounter;
    private int _lastLevel;
    private double _clockMs;
    private bool _inEpisode;
    private double _lastReward;

    /// <summary>Builds the environment as the original's constructor does (order, start pointers, generator).</summary>
    /// <param name="scenario">Traces, video, pointers and the deterministic switch.</param>
    public AbrEnvironment(AbrScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        _scenario = scenario;
        _sizes = scenario.Video.Flat;
        _nextSizesMegabytes = scenario.Video.NextSizesMegabytesByChunk;
        _random = new NumpyRandomState(AbrConstants.EnvironmentSeed);
        var all = Enumerable.Range(0, scenario.Traces.Count).ToList();
        if (!scenario.Deterministic)
        {
            _random.Shuffle(all);
        }

        var pointers = new int[all.Count];
        for (var i = 0; i < all.Count; i++)
        {
            var trace = scenario.Traces[all[i]];
            pointers[i] = scenario.StartPointers is { } given
                ? given[all[i]]
                : scenario.Deterministic ? 1 : (int)_random.RandInt(1, trace.Count);
        }

        _order = all.Take(scenario.TraceCount).ToArray();
        _pointers = pointers.Take(scenario.TraceCount).ToArray();
    }

    /// <inheritdoc />
    public string Id => "abr/Pensieve-v0";

    /// <inheritdoc />
    public ISpace<AbrObservation> ObservationSpace => AbrObservationSpace.Instance;

    /// <inheritdoc />
    public ISpace<int> ActionSpace { get; } = new DiscreteSpace(AbrConstants.BitrateLevels);

    /// <summary>The scenario.</summary>
    public AbrScenario Scenario => _scenario;

    /// <summary>Number of traces the episodes cycle through.</summary>
    public int TraceCount => _order.Length;

    /// <summary>Trace indices (into <see cref="AbrScenario.Traces"/>) in episode order.</summary>
    public IReadOnlyList<int> TraceOrder => _order;

    /// <summary>Start pointer of each episode position.</summary>
    public IReadOnlyList<int> StartPointers => _pointers;

    /// <summary>The trace of the current episode (the first trace before the first reset).</summary>
    public BandwidthTrace CurrentTrace => _scenario.Traces[_order[Math.Max(_position, 0)]];

    /// <summary>Position of the current episode in <see cref="TraceOrder"/> (-1 before the first reset).</summary>
    public int CurrentPosition => _position;

    /// <summary>
    /// An independent copy in the current state, sharing the read-only scenario: stepping the copy leaves this
    /// environment as it was. Planners (the offline oracle) explore action sequences on copies.
    /// </summary>
    public AbrEnvironment Fork()
    {
        var copy = (AbrEnvironment)MemberwiseClone();

        // The generator is drawn from only with delay noise; deterministic scenarios share it (a copy is 2.5 KB).
        copy._random = _scenario.Deterministic ? _random : _random.Clone();
        return copy;
    }

    /// <summary>
    /// Starts an episode on the next trace of the cycle and downloads chunk 0 at quality 0. A seed restarts the cycle
    /// at its first trace, resets the clock and re-seeds the delay-noise generator; option <c>trace</c> (int) starts
    /// the episode at that position of the cycle instead of the next one.
    /// </summary>
    /// <param name="seed">Optional seed of the noise generator.</param>
    /// <param name="options">Optional <c>trace</c> position.</param>
    public ResetResult<AbrObservation> Reset(int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        var next = (_position + 1) % _order.Length;
        if (seed is { } s)
        {
            _random = new NumpyRandomState(s);
            _clockMs = 0;
            next = 0;
        }

        if (options is not null && options.TryGetValue("trace", out var requested) && requested is not null)
        {
            var position = Convert.ToInt32(requested, System.Globalization.CultureInfo.InvariantCulture);
            if (position < 0 || position >= _order.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(options), position, $"trace position must be between 0 and {_order.Length - 1}");
            }

            next = position;
        }

        StartEpisode(next);
        var observation = Download(AbrConstants.DefaultQuality, out _);
        return new ResetResult<AbrObservation>(observation, EmptyInfo.Instance);
    }

    /// <summary>Downloads the next chunk at quality <paramref name="action"/>; the reward is the chunk's QoE.</summary>
    /// <param name="action">Quality level 0 to 5.</param>
    public StepResult<AbrObservation> Step(int action)
    {
        if ((uint)action >= AbrConstants.BitrateLevels)
        {
            throw new ArgumentException($"action {action} is not a quality level (0 to {AbrConstants.BitrateLevels - 1})", nameof(action));
        }

        if (!_inEpisode)
        {
            throw new InvalidOperationException(_position < 0 ? "call Reset before Step" : "the video ended; call Reset to start the next trace");
        }

        // Built in place: the observation (with its 6×6 state) is not copied through a local first.
        return new StepResult<AbrObservation>(Download(action, out var endOfVideo), _lastReward, endOfVideo, false, EmptyInfo.Instance);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private void StartEpisode(int position)
    {
        _position = position;
        var trace = _scenario.Traces[_order[position]];
        _times = trace.TimesArray;
        _mbps = trace.MbpsArray;
        _pointer = _pointers[position];
        _lastTime = _times[_pointer - 1];
        _bufferMs = 0;
        _chunkCounter = 0;
        _lastLevel = AbrConstants.DefaultQuality;
        _state = default;
        _inEpisode = true;
    }

    private AbrObservation Download(int level, out bool endOfVideo)
    {
        var times = _times;
        var mbps = _mbps;
        var chunkBytes = _sizes[(level * AbrConstants.ChunkSizeLines) + _chunkCounter];

        // Walk the trace's delivery opportunities until the chunk is through (env.py get_video_chunk). The trace position
        // lives in locals inside the walks and is stored back once.
        var pointer = _pointer;
        var lastTime = _lastTime;
        var delay = 0.0;
        var sent = 0.0;
        while (true)
        {
            var throughput = mbps[pointer] * AbrConstants.BytesPerMegabyte / AbrConstants.BitsPerByte;
            var duration = times[pointer] - lastTime;
            var payload = throughput * duration * AbrConstants.PacketPayloadPortion;
            if (sent + payload > chunkBytes)
            {
                var fractional = (chunkBytes - sent) / throughput / AbrConstants.PacketPayloadPortion;
                delay += fractional;
                lastTime += fractional;
                break;
            }

            sent += payload;
            delay += duration;
            lastTime = times[pointer];
            pointer++;
            if (pointer >= mbps.Length)
            {
                pointer = 1;
                lastTime = 0;
            }
        }

        delay *= AbrConstants.MillisecondsPerSecond;
        delay += AbrConstants.LinkRttMs;
        if (!_scenario.Deterministic)
        {
            delay *= _random.Uniform(AbrConstants.NoiseLow, AbrConstants.NoiseHigh);
        }

        var rebuffer = Math.Max(delay - _bufferMs, 0.0);
        _bufferMs = Math.Max(_bufferMs - delay, 0.0);
        _bufferMs += AbrConstants.ChunkLengthMs;

        var sleep = 0.0;
        if (_bufferMs > AbrConstants.BufferThresholdMs)
        {
            var drain = _bufferMs - AbrConstants.BufferThresholdMs;
            sleep = Math.Ceiling(drain / AbrConstants.DrainBufferSleepMs) * AbrConstants.DrainBufferSleepMs;
            _bufferMs -= sleep;
            while (true)
            {
                var duration = times[pointer] - lastTime;
                if (duration > sleep / AbrConstants.MillisecondsPerSecond)
                {
                    lastTime += sleep / AbrConstants.MillisecondsPerSecond;
                    break;
                }

                sleep -= duration * AbrConstants.MillisecondsPerSecond;
                lastTime = times[pointer];
                pointer++;
                if (pointer >= mbps.Length)
                {
                    pointer = 1;
                    lastTime = 0;
                }
            }
        }

        _pointer = pointer;
        _lastTime = lastTime;

        var bufferSeconds = _bufferMs / AbrConstants.MillisecondsPerSecond;
        var rebufferSeconds = rebuffer / AbrConstants.MillisecondsPerSecond;
        _chunkCounter++;
        var remaining = AbrConstants.TotalChunks - _chunkCounter;
        endOfVideo = _chunkCounter >= AbrConstants.TotalChunks;
        var nextChunk = endOfVideo ? 0 : _chunkCounter;

        // QoE of the chunk and the run clock (run_baseline.py's loop).
        _clockMs += delay;
        _clockMs += sleep;
        var bitrate = AbrConstants.BitratesKbps[level];
        var change = Math.Abs(bitrate - AbrConstants.BitratesKbps[_lastLevel]);
        var smoothness = change / AbrConstants.Thousand;

        // SMOOTH_PENALTY is 1: its term is the smoothness itself (one division fewer, the same bits).
        var smoothPenalty = AbrConstants.SmoothPenalty == 1 ? smoothness : AbrConstants.SmoothPenalty * change / AbrConstants.Thousand;
        var reward = AbrConstants.BitratesMbps[level] - (AbrConstants.RebufferPenalty * rebufferSeconds) - smoothPenalty;
        _lastLevel = level;

        UpdateState(level, bufferSeconds, chunkBytes, delay, nextChunk, remaining);

        if (endOfVideo)
        {
            _bufferMs = 0;
            _chunkCounter = 0;
            _inEpisode = false;
        }

        _lastReward = reward;
        var outcome = new AbrChunkOutcome(level, delay, sleep, bufferSeconds, rebufferSeconds, chunkBytes, smoothness, reward, _clockMs);
        return new AbrObservation(_state, outcome, remaining, endOfVideo, _scenario.Video, _position);
    }

    private static ReadOnlySpan<int> RolledRows => [0, 1, 2, 3, 5];

    private void UpdateState(int level, double bufferSeconds, long chunkBytes, double delayMs, int nextChunk, int remaining)
    {
        const int columns = AbrConstants.StateColumns;
        Span<double> s = _state;

        // np.roll(state, -1, axis=1) followed by writing every row's last column and all of row 4: only the first five
        // columns of rows 0-3 and 5 carry over. Element moves rather than an overlapping span copy, which is a call
        // into the native memmove on every chunk.
        foreach (var row in RolledRows)
        {
            var r = row * columns;
            s[r] = s[r + 1];
            s[r + 1] = s[r + 2];
            s[r + 2] = s[r + 3];
            s[r + 3] = s[r + 4];
            s[r + 4] = s[r + 5];
        }

        s[columns - 1] = AbrConstants.NormalisedBitrates[level];
        s[columns + columns - 1] = bufferSeconds / AbrConstants.BufferNormSeconds;
        s[(2 * columns) + columns - 1] = (double)chunkBytes / delayMs / AbrConstants.Thousand;
        s[(3 * columns) + columns - 1] = delayMs / AbrConstants.Thousand / AbrConstants.BufferNormSeconds;
        var sizes = _nextSizesMegabytes;
        var first = nextChunk * AbrConstants.BitrateLevels;
        for (var i = 0; i < AbrConstants.BitrateLevels; i++)
        {
            s[(4 * columns) + i] = sizes[first + i];
        }

        s[(5 * columns) + columns - 1] = AbrConstants.NormalisedRemaining[remaining];
    }
}
