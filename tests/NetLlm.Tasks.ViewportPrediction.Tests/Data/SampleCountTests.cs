using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Tests.Support;
using NetLlm.Testing;

namespace NetLlm.Tasks.ViewportPrediction.Tests.Data;

public sealed class SampleCountTests
{
    [DataFact("vp")]
    public void Jin2022Default_HasTheOriginalsSampleCounts()
    {
        Assert.Equal(8820, VpData.Jin2022Train.Samples.Count);
        Assert.Equal(1754, VpData.Jin2022Valid.Samples.Count);
        Assert.Equal(1698, VpData.Jin2022Test.Samples.Count);
        Assert.Equal(15 * 42, VpData.Jin2022Train.Files);
        Assert.Equal(6 * 21, VpData.Jin2022Test.Files);
    }

    [DataFact("vp")]
    public void LongerFuture_KeepsTrim30And60_SoTheSamplesStartAtTheSameRows()
    {
        var longer = VpData.Load(ViewportDatasetCatalog.Jin2022, ViewportSplit.Test, new ViewportWindow(10, 25));
        Assert.Equal(1698, longer.Samples.Count);
        Assert.Equal(VpData.Jin2022Test.Samples.Select(s => (s.Video, s.Viewer, s.Timestep)), longer.Samples.Select(s => (s.Video, s.Viewer, s.Timestep)));
        Assert.All(longer.Samples, s => Assert.Equal(25, s.FutureLength));
    }

    [DataFact("vp")]
    public void Wu2017Test_Has1395Samples_AndToleratesNoReversalInItsFiles()
    {
        var wu = VpData.Load(ViewportDatasetCatalog.Wu2017, ViewportSplit.Test);
        Assert.Equal(1395, wu.Samples.Count);
        Assert.Equal(18, wu.Files);
        Assert.Equal(0, wu.ToleratedTimeReversals);
    }

    [DataFact("vp")]
    public void Samples_FollowTheOriginalsOrderAndRows()
    {
        var samples = VpData.Jin2022Test.Samples;
        var first = samples[0];
        Assert.Equal((4, 83, 30), (first.Video, first.Viewer, first.Timestep));
        Assert.Equal((4, 83, 45), (samples[1].Video, samples[1].Viewer, samples[1].Timestep));

        var trace = ViewportCsvReader.Read(ViewportDatasetCatalog.Jin2022.TracePath(Path.Combine(VpData.DataRoot, "vp", "viewports"), 4, 83));
        Assert.Equal(trace.Angles.AsSpan(20 * 3, 30).ToArray(), first.History);
        Assert.Equal(trace.Angles.AsSpan(30 * 3, 60).ToArray(), first.Future);
        var lastStart = ViewportWindow.Default.Starts(trace.Rows).Last();
        Assert.True(lastStart < trace.Rows - 60);
        Assert.True(lastStart + 15 >= trace.Rows - 60);
    }

    [DataFact("vp")]
    public void ShortVideo18_GivesFewerSamplesPerViewer()
    {
        var perPair = VpData.Jin2022Test.Samples.GroupBy(s => (s.Video, s.Viewer)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(126, perPair.Count);
        Assert.Equal(14, perPair[(4, 83)]);
        Assert.Equal(1698, perPair.Values.Sum());
        // a 235-row trace: range(30, 235 - 60, 15) has 10 starts.
        Assert.Equal(10, perPair.Where(p => p.Key.Video == 18).Min(p => p.Value));
        Assert.Equal(14, perPair.Where(p => p.Key.Video != 18).Max(p => p.Value));
    }
}
