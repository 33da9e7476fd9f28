using System.Diagnostics;

namespace NetLlm.Testbeds.DashPlayer.Shaping;

/// <summary>
/// The application-level trace-shaped link: responses written through it wait one round-trip time (the simulator's
/// 80 ms, added once per chunk as the simulator does) and then go out in packets of
/// <see cref="LinkTrace.PayloadBytes"/>, each at the next delivery opportunity of the trace. Link time starts at
/// <see cref="Start"/> (at trace offset <c>startMs</c>, the simulator's start pointer) and runs with the wall clock;
/// an opportunity nobody uses is lost, as on a Mahimahi link. One response uses the link at a time (first come,
/// first served), which is the simulator's one-chunk-at-a-time download.
/// </summary>
public sealed class TraceShaper : IDisposable
{
    private readonly SemaphoreSlim _link = new(1, 1);
    private readonly Stopwatch _clock = new();
    private readonly long _startMs;

    /// <summary>Creates the link.</summary>
    /// <param name="trace">The delivery schedule.</param>
    /// <param name="rttMs">Delay before the first byte of each response, ms.</param>
    /// <param name="startMs">Trace time at which the link starts, ms.</param>
    /// <param name="payloadBytes">Payload bytes one opportunity delivers.</param>
    public TraceShaper(LinkTrace trace, double rttMs, long startMs = 0, int? payloadBytes = null)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentOutOfRangeException.ThrowIfNegative(rttMs);
        ArgumentOutOfRangeException.ThrowIfNegative(startMs);
        Trace = trace;
        RttMs = rttMs;
        _startMs = startMs;
        PayloadBytes = payloadBytes ?? LinkTrace.PayloadBytes;
        ArgumentOutOfRangeException.ThrowIfLessThan(PayloadBytes, 1);
    }

    /// <summary>The schedule.</summary>
    public LinkTrace Trace { get; }

    /// <summary>Round-trip time added before each response, ms.</summary>
    public double RttMs { get; }

    /// <summary>Payload bytes per packet.</summary>
    public int PayloadBytes { get; }

    /// <summary>True once <see cref="Start"/> was called.</summary>
    public bool Started => _clock.IsRunning;

    /// <summary>Link (trace) time now, ms; the start offset before <see cref="Start"/>.</summary>
    public double NowMs => _startMs + _clock.Elapsed.TotalMilliseconds;

    /// <summary>Starts the link clock (idempotent).</summary>
    public void Start()
    {
        if (!_clock.IsRunning)
        {
            _clock.Start();
        }
    }

    /// <summary>
    /// Writes <paramref name="data"/> through the link with <paramref name="write"/>: after one RTT, packet by packet at the
    /// trace's opportunities. Starts the link clock if it is not running.
    /// </summary>
    /// <returns>Link times (ms) when the link began sending and when the last packet went out.</returns>
    public async Task<(double FirstMs, double LastMs)> SendAsync(Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        Start();
        var ready = NowMs + RttMs;
        if (RttMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(RttMs), cancellationToken).ConfigureAwait(false);
        }

        // The runtime's timers may fire a millisecond or two early: the RTT is never shorter than asked.
        while (NowMs < ready)
        {
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }

        await _link.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var first = NowMs;
            var cursor = (long)Math.Floor(first);
            var sent = 0;
            while (sent < data.Length)
            {
                var now = (long)Math.Floor(NowMs);
                var packets = Trace.CountBetween(cursor, now);
                if (packets > 0)
                {
                    var bytes = (int)Math.Min(data.Length - sent, packets * PayloadBytes);
                    await write(data.Slice(sent, bytes), cancellationToken).ConfigureAwait(false);
                    sent += bytes;
                    cursor = now;
                    continue;
                }

                var next = Trace.TimeOfNth(cursor, 1);
                var wait = Math.Max(1.0, next - NowMs);
                await Task.Delay(TimeSpan.FromMilliseconds(wait), cancellationToken).ConfigureAwait(false);
            }

            return (first, NowMs);
        }
        finally
        {
            _link.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _link.Dispose();
}
