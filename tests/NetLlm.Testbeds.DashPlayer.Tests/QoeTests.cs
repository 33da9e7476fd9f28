using NetLlm.Testbeds.DashPlayer;

namespace NetLlm.Testbeds.DashPlayer.Tests;

public class QoeTests
{
    [Fact]
    public void TheLinearQoeSkipsTheFirstChunk()
    {
        // chunk 0 at q1 (not scored); chunk 1 at q3 with 0.5 s stall: 1.85 - 4.3*0.5 - |1.85-0.75| = -1.4;
        // chunk 2 at q3: 1.85. Mean (-1.4 + 1.85) / 2 = 0.225.
        var qoe = QoeSummary.Score([(1, 2.0), (3, 0.5), (3, 0.0)], firstPrevious: 1, totalStallSeconds: 0.5);
        Assert.Equal(0.225, qoe.MeanQoe, 9);
        Assert.Equal(1850, qoe.MeanBitrateKbps, 9);
        Assert.Equal(0.5, qoe.RebufferSeconds, 9);
        Assert.Equal(0.55, qoe.MeanSmoothnessMbps, 9);
        Assert.Equal(0.5 / 12.5, qoe.RebufferRatio, 9);
        Assert.Equal(3, qoe.Chunks);
    }

    [Fact]
    public void StallsGoToTheChunkWhoseDownloadTheyOverlap()
    {
        var log = new PlayerLog
        {
            PlaybackStartedMs = 900,
            Chunks =
            [
                new PlayerChunk(0, 1, 100, 0, 800, 800, 4, 0),
                new PlayerChunk(1, 2, 100, 800, 3000, 2200, 4, 0),
                new PlayerChunk(2, 2, 100, 3000, 9000, 6000, 4, 0),
            ],
            Stalls = [new PlayerStall(0, 900), new PlayerStall(4800, 5300), new PlayerStall(8900, 9100)],
        };
        var (chunks, startup, stalls) = RealPlayback.Attribute(log);
        Assert.Equal(0.9, startup, 9);
        Assert.Equal(0.7, stalls, 9);
        Assert.Equal(0.9, chunks[0].RebufferSeconds, 9);
        Assert.Equal(0.0, chunks[1].RebufferSeconds, 9); // the startup is charged to chunk 0 only
        Assert.Equal(0.7, chunks[2].RebufferSeconds, 9); // the last chunk takes the tail of the stall past its end
    }

    [Fact]
    public void PercentilesAreNearestRank()
    {
        double[] values = [5, 1, 4, 2, 3];
        Assert.Equal(3, RealPlayback.Percentile(values, 0.5));
        Assert.Equal(5, RealPlayback.Percentile(values, 0.99));
        Assert.True(double.IsNaN(RealPlayback.Percentile([], 0.5)));
    }
}
