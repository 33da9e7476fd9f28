using NetLlm.Tasks.AdaptiveBitrate.Data;
using NetLlm.Testbeds.DashPlayer.Shaping;

namespace NetLlm.Testbeds.DashPlayer.Tests;

public class LinkTraceTests
{
    private static BandwidthTrace Cooked(params (double T, double Mbps)[] samples) =>
        new("t", string.Empty, samples.Select(s => s.T).ToArray(), samples.Select(s => s.Mbps).ToArray());

    [Fact]
    public void ACookedTraceBecomesOnePacketPerItsRate()
    {
        // 1.2 Mbit/s = 150,000 bytes/s = 100 packets of 1500 bytes per second; 2.4 Mbit/s = 200.
        var link = LinkTrace.FromCooked(Cooked((0, 1.2), (1, 1.2), (2, 2.4)));
        Assert.Equal(2000, link.PeriodMs);
        Assert.Equal(100, link.CountBetween(-1, 1000));
        Assert.Equal(200, link.CountBetween(1000, 2000));
        Assert.Equal(300, link.OpportunitiesPerPeriod);
        Assert.Equal(1.8, link.MeanMbps, 6);
    }

    [Fact]
    public void TheScheduleLoops()
    {
        var link = LinkTrace.ParseMahimahi("m", ["0", "5", "10"]);
        Assert.Equal(10, link.PeriodMs);
        // Mahimahi loops by the last timestamp: the second pass is 10, 15, 20, so two packets go at 10 and at 20.
        Assert.Equal(4, link.CountBetween(-1, 10));
        Assert.Equal(3, link.CountBetween(10, 20));
        Assert.Equal(15, link.TimeOfNth(10, 1));
        Assert.Equal(20, link.TimeOfNth(10, 3));
        Assert.Equal(1425, LinkTrace.PayloadBytes);
        Assert.Equal(20, link.DeliveredAt(10, 2 * 1425, 1425));
    }

    [Fact]
    public void BadMahimahiLinesNameTheLine()
    {
        var error = Assert.Throws<InvalidDataException>(() => LinkTrace.ParseMahimahi("m", ["1", "x2"]));
        Assert.Contains("m:2", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new LinkTrace("d", [5, 3], 10));
    }

    [Fact]
    public void ToCookedGivesBackTheRate()
    {
        var link = LinkTrace.FromCooked(Cooked((0, 3.0), (1, 3.0), (2, 0.6), (3, 0.6)));
        var cooked = link.ToCooked();
        Assert.Equal([0.0, 1, 2, 3], cooked.Times.ToArray());
        Assert.Equal(3.0, cooked.Mbps[1], 6);
        Assert.Equal(0.6, cooked.Mbps[2], 6);
    }

    [Fact]
    public void LoadDetectsTheFormat()
    {
        using var dir = new NetLlm.Testing.TempDirectory();
        var mahimahi = LinkTrace.Load(dir.File("mm", "1\n1\n2\n"));
        Assert.Equal(3, mahimahi.OpportunitiesPerPeriod);
        var cooked = LinkTrace.Load(dir.File("cooked", "0.0\t1.2\n1.0\t1.2\n"));
        Assert.Equal(100, cooked.OpportunitiesPerPeriod);
    }
}
