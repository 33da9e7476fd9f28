using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NetLlm.Tasks.AdaptiveBitrate.Data;
using NetLlm.Testbeds.DashPlayer.Shaping;

namespace NetLlm.Testbeds.DashPlayer.Tests;

/// <summary>
/// The application-level shaper delivers bytes when the trace says: a receiver on a loopback socket timestamps what
/// arrives and the cumulative bytes over time are compared with the packet schedule. Tolerance: the link's own send
/// times within 25 ms of the schedule; what the receiver sees within 60 ms or 4 % of the transfer time, whichever is
/// larger (timer granularity, JIT and thread-pool scheduling on a shared 2-core machine).
/// </summary>
public class ShaperTests
{
    private static async Task<(List<(double Ms, long Bytes)> Arrivals, double FirstMs, double LastMs)> TransferAsync(TraceShaper shaper, int bytes)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var sender = new TcpClient();
        await sender.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var receiver = await listener.AcceptTcpClientAsync();
        sender.NoDelay = true;
        var arrivals = new List<(double, long)>();
        var clock = Stopwatch.StartNew();
        var receive = Task.Run(async () =>
        {
            var buffer = new byte[1 << 16];
            long total = 0;
            var stream = receiver.GetStream();
            while (total < bytes)
            {
                var n = await stream.ReadAsync(buffer);
                if (n == 0)
                {
                    break;
                }

                total += n;
                arrivals.Add((clock.Elapsed.TotalMilliseconds, total));
            }
        });
        var stream = sender.GetStream();
        var (first, last) = await shaper.SendAsync((chunk, token) => stream.WriteAsync(chunk, token), new byte[bytes]);
        await receive.WaitAsync(TimeSpan.FromSeconds(60));
        return (arrivals, first, last);
    }

    [Theory]
    [InlineData(2.0, 300_000)]
    [InlineData(0.8, 150_000)]
    public async Task BytesArriveAtTheTraceRatePlusTheRtt(double mbps, int bytes)
    {
        var link = LinkTrace.FromCooked(new BandwidthTrace("c", string.Empty, [0.0, 10, 20], [mbps, mbps, mbps]));

        // Expected: RTT + the time of the ceil(bytes/1425)-th packet of the schedule (the simulator's rate x 0.95).
        var expected = 80 + link.DeliveredAt(0, bytes, LinkTrace.PayloadBytes);
        var simulator = 80 + (bytes / (mbps * 1e6 / 8 * 0.95) * 1000);
        var packetMs = LinkTrace.PacketBytes * 8 / (mbps * 1000);
        Assert.InRange(expected, simulator - 2, simulator + (2 * packetMs)); // whole packets, the first one packet-time in
        var failures = new List<string>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var shaper = new TraceShaper(link, rttMs: 80);
            var (arrivals, first, last) = await TransferAsync(shaper, bytes);
            Assert.Equal(bytes, arrivals[^1].Bytes);

            // Never faster than the trace: the RTT is whole and no byte leaves before its packet's time.
            Assert.True(first >= 80, $"the link began sending at {first:F1} ms, before the 80 ms RTT");
            var linkExpected = link.DeliveredAt((long)Math.Floor(first), bytes, LinkTrace.PayloadBytes);
            Assert.True(last >= linkExpected - 1, $"the last packet left at {last:F1} ms, the schedule says {linkExpected}");
            foreach (var (ms, got) in arrivals)
            {
                var allowed = (link.CountBetween(-1, (long)Math.Ceiling(ms)) + 1) * LinkTrace.PayloadBytes;
                Assert.True(got <= allowed, $"{got} bytes at {ms:F0} ms, the schedule allows {allowed}");
            }

            // Not slower than the trace beyond the tolerance; a loaded machine (tests run in parallel on 2 cores) can
            // hold the process for longer, so up to three attempts are made.
            var tolerance = Math.Max(60, 0.04 * expected);
            if (first <= 120 && last <= linkExpected + 25 && arrivals[^1].Ms <= expected + tolerance)
            {
                return;
            }

            failures.Add($"attempt {attempt + 1}: first {first:F1} ms, last packet {last:F1} ms (schedule {linkExpected}), received at {arrivals[^1].Ms:F1} ms (expected {expected} +- {tolerance:F0})");
        }

        Assert.Fail(string.Join("; ", failures));
    }

    [Fact]
    public async Task ARateStepInTheTraceShowsInTheDelivery()
    {
        // 0.6 Mbit/s for 1 s, then 6 Mbit/s: 400 KB need 1 s at the low rate (71 KB) and 0.46 s at the high rate.
        var link = LinkTrace.FromCooked(new BandwidthTrace("s", string.Empty, [0.0, 1, 5], [0.6, 0.6, 6.0]));
        using var shaper = new TraceShaper(link, rttMs: 0);
        var (arrivals, _, _) = await TransferAsync(shaper, 400_000);
        var expected = link.DeliveredAt(0, 400_000, LinkTrace.PayloadBytes);
        Assert.InRange(expected, 1400, 1500);
        Assert.True(arrivals[^1].Ms >= expected - 5, $"done at {arrivals[^1].Ms:F0} ms, before the schedule's {expected} ms");

        // By 0.95 s at most the low rate's bytes are through (71 KB per second x 0.95).
        var atOneSecond = arrivals.LastOrDefault(a => a.Ms <= 950).Bytes;
        Assert.InRange(atOneSecond, 0, 70_000);
    }
}
