using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Testing;

namespace NetLlm.Tasks.ViewportPrediction.Tests.Support;

/// <summary>
/// Shared loads of the real data (cached: several tests use the same splits). <see cref="DataRoot"/> is the full data
/// root when present, else tests/fixtures/data (three Jin2022 traces: video 1 and 5 of viewer 50, video 4 of viewer 83);
/// tests that need whole splits are [DataFact("vp")].
/// </summary>
internal static class VpData
{
    private static readonly Lazy<ViewportDataset> JinTest = new(() => Load(ViewportDatasetCatalog.Jin2022, ViewportSplit.Test));
    private static readonly Lazy<ViewportDataset> JinTrain = new(() => Load(ViewportDatasetCatalog.Jin2022, ViewportSplit.Train));
    private static readonly Lazy<ViewportDataset> JinValid = new(() => Load(ViewportDatasetCatalog.Jin2022, ViewportSplit.Valid));

    public static string DataRoot => TestPaths.DataRootFor("vp");

    public static ViewportDataset Jin2022Test => JinTest.Value;

    public static ViewportDataset Jin2022Train => JinTrain.Value;

    public static ViewportDataset Jin2022Valid => JinValid.Value;

    public static ViewportDataset Load(ViewportDatasetInfo dataset, ViewportSplit split, ViewportWindow? window = null) =>
        ViewportDataset.Load(DataRoot, new ViewportDataRequest { Dataset = dataset, Split = split, Window = window ?? ViewportWindow.Default });

    /// <summary>A synthetic sample with a history and future of the given lengths.</summary>
    public static ViewportSample Synthetic(int history, int future, int seed, string dataset = "synthetic")
    {
        var random = new Random(seed);
        float Next(int axis) => (float)((random.NextDouble() * 2) - 1) * (axis == 1 ? 60f : 150f);
        var h = new float[history * 3];
        var f = new float[future * 3];
        for (var i = 0; i < h.Length; i++)
        {
            h[i] = Next(i % 3);
        }

        for (var i = 0; i < f.Length; i++)
        {
            f[i] = Next(i % 3);
        }

        return new ViewportSample(dataset, 1, seed, 30, h, f);
    }
}
