using NetLlm.Baselines.Bba;
using NetLlm.Tasks.AdaptiveBitrate.Data;
using NetLlm.Testbeds.DashPlayer.Serving;
using NetLlm.Testbeds.DashPlayer.Shaping;
using NetLlm.Testing;
using Xunit.Abstractions;

namespace NetLlm.Testbeds.DashPlayer.Tests;

/// <summary>
/// End to end: dash.js in headless Chromium plays a 6-segment video (make-media.sh --segments 6) over two FCC test
/// traces shaped by the media server, asking the in-process BBA policy server for every segment.
/// </summary>
[Collection(RealPlayerCollection.Name)]
public class RealPlayerTests(ITestOutputHelper output)
{
    private const int Segments = 6;

    [PlayerFact]
    public async Task TwoFccTracesPlayToTheEndWithBba()
    {
        var video = PlayerEnvironment.ShortVideo(Segments);
        var sizes = RealPlayback.ReadSizes(video);
        Assert.Equal(6, sizes.Count);
        Assert.All(sizes, level => Assert.Equal(Segments, level.Count));

        // The segments track the ladder: level L's mean bitrate is within 15 % above its nominal rate.
        var ladder = new[] { 300, 750, 1200, 1850, 2850, 4300 };
        for (var level = 0; level < 6; level++)
        {
            var kbps = sizes[level].Average() * 8 / 4 / 1000;
            Assert.InRange(kbps, ladder[level] * 0.95, ladder[level] * 1.15);
        }

        string[] files = [FccTestTrace("002_"), FccTestTrace("005_")];
        await using var policy = new StatePolicyServer("abr.bba", () => new BbaPolicy());
        foreach (var file in files)
        {
            var link = LinkTrace.Load(file);
            var run = await RealPlayback.PlayAsync(link, 0, new RealPlaybackOptions(PlayerEnvironment.PlayerDir, video, policy.BaseAddress));
            output.WriteLine($"{run.Trace}: QoE {run.Real.MeanQoe:F3}, bitrate {run.Real.MeanBitrateKbps:F0} kbps, rebuffer {run.Real.RebufferSeconds:F2} s, startup {run.StartupSeconds:F2} s, decision p50 {run.DecisionP50Ms:F2} ms p99 {run.DecisionP99Ms:F2} ms, {run.WallSeconds:F0} s");
            Assert.Equal(Segments, run.Log.Chunks.Count);
            Assert.Equal(Segments - 1, run.Log.Decisions.Count);
            Assert.Equal(1, run.Log.Chunks.OrderBy(c => c.Index).First().Quality);
            Assert.Equal(Enumerable.Range(0, Segments), run.Log.Chunks.Select(c => c.Index).Order());

            // Every segment the page logged is the file's size, and the quality it asked BBA for.
            foreach (var chunk in run.Log.Chunks)
            {
                Assert.Equal(sizes[chunk.Quality][chunk.Index], chunk.Bytes);
            }

            foreach (var decision in run.Log.Decisions)
            {
                Assert.Equal(decision.Quality, run.Log.Chunks.Single(c => c.Index == decision.Chunk).Quality);
                Assert.InRange(decision.LatencyMs, 0, 1000);
            }

            // The link sent each segment no faster than the trace allows (server side), and most of them within
            // 40 ms or 5 % of the schedule (a loaded 2-core machine can hold the process longer now and then).
            Assert.Equal(Segments, run.Shaped.Count);
            var onTime = 0;
            foreach (var sent in run.Shaped)
            {
                var headers = 200;
                var earliest = link.DeliveredAt((long)Math.Floor(sent.FirstMs), sent.Bytes, LinkTrace.PayloadBytes);
                var latest = link.DeliveredAt((long)Math.Floor(sent.FirstMs), sent.Bytes + headers, LinkTrace.PayloadBytes);
                Assert.True(sent.FirstMs - sent.RequestMs >= 80, $"{sent.Path}: RTT {sent.FirstMs - sent.RequestMs:F1} ms");
                Assert.True(sent.LastMs >= earliest - 1, $"{sent.Path}: done at {sent.LastMs:F0} ms, the trace allows {earliest} ms at the earliest");
                onTime += sent.LastMs <= latest + Math.Max(40, 0.05 * (latest - sent.FirstMs)) ? 1 : 0;
            }

            Assert.True(onTime * 2 >= Segments, $"only {onTime} of {Segments} segments within the tolerance of the schedule");

            // The player saw each download take at least the RTT plus the link time.
            foreach (var chunk in run.Log.Chunks)
            {
                Assert.True(chunk.DownloadMs >= 80, $"chunk {chunk.Index}: {chunk.DownloadMs} ms");
            }

            Assert.True(double.IsFinite(run.Real.MeanQoe));
            Assert.InRange(run.Real.RebufferRatio, 0, 1);
            Assert.InRange(run.Real.MeanBitrateKbps, 300, 4300);
        }

        Assert.Equal(0, policy.OpenSessions);
    }

    [PlayerFact]
    public async Task APlaybackThatRunsOutOfTime_SaysHowFarItGot()
    {
        var video = PlayerEnvironment.ShortVideo(Segments);
        var file = FccTestTrace("005_");
        await using var policy = new StatePolicyServer("abr.bba", () => new BbaPolicy());
        var options = new RealPlaybackOptions(PlayerEnvironment.PlayerDir, video, policy.BaseAddress) { TimeLimit = TimeSpan.FromSeconds(4) };

        // The trace's first segment takes about 6.5 s, so after 4 s the page has logged none and the server is sending it.
        var error = await Assert.ThrowsAsync<TimeoutException>(() => RealPlayback.PlayAsync(LinkTrace.Load(file), 0, options));
        output.WriteLine(error.Message);
        Assert.Contains("did not finish within 4 s: the page logged 0 of 6 media segments, the media server sent 0 and is sending /media/chunk-stream1-00001.m4s since ", error.Message, StringComparison.Ordinal);
        Assert.Contains("video element {\"current_time\":0,", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"chunks\":0,\"total_chunks\":6,", error.Message, StringComparison.Ordinal);

        // The session was closed although the playback failed.
        Assert.Equal(0, policy.OpenSessions);
    }

    /// <summary>The one fcc-test trace file whose name starts with <paramref name="prefix"/>.</summary>
    private static string FccTestTrace(string prefix) =>
        TraceLoader.TraceFiles(Path.Combine(TestPaths.DataRootFor("abr"), "abr", "traces", "test", "fcc-test"))
            .Single(f => Path.GetFileName(f).StartsWith(prefix, StringComparison.Ordinal));
}
