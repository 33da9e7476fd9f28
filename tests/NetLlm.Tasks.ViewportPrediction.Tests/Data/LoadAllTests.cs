using System.Diagnostics;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Tests.Support;
using NetLlm.Testing;
using Xunit.Abstractions;

namespace NetLlm.Tasks.ViewportPrediction.Tests.Data;

public sealed class LoadAllTests(ITestOutputHelper output)
{
    [DataFact("vp")]
    public void EveryJin2022File_LoadsAndValidates()
    {
        var folder = Path.Combine(VpData.DataRoot, "vp", "viewports");
        var watch = Stopwatch.StartNew();
        var traces = ViewportTraceLoader.Load(folder, ViewportDatasetCatalog.Jin2022, ViewportTraceLoader.AllPairs(ViewportDatasetCatalog.Jin2022));
        output.WriteLine($"loaded {traces.Count} files, {traces.Values.Sum(t => t.Rows)} rows in {watch.ElapsedMilliseconds} ms");
        Assert.Equal(2268, traces.Count);
        Assert.Equal(58, traces.Values.Min(t => t.Rows));
        Assert.Equal(235, traces[(18, 1)].Rows);
        Assert.Equal(0, traces.Values.Sum(t => t.ToleratedTimeReversals));
    }
}
