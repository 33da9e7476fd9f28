using NetLlm.Core.IO;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Tests.Support;
using NetLlm.Testing;
using static TorchSharp.torch;

namespace NetLlm.Tasks.ViewportPrediction.Tests.Data;

public sealed class ImageFeatureTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(4, 30, 174)]
    [InlineData(14, 30, 145)]
    [InlineData(4, 45, 264)]
    public void FrameOf_FollowsTheOriginalsIndex(int video, int timestep, int frame) =>
        Assert.Equal(frame, ViewportImageFeatures.FrameOf(ViewportDatasetCatalog.Jin2022, video, timestep));

    [Fact]
    public void Attach_GivesEachSampleTheRowOfItsStartFrame()
    {
        // row r of video 4's table holds (r, -r): frame f (1-based) = row f - 1.
        using var table = stack([arange(0, 400, dtype: ScalarType.Float32), -arange(0, 400, dtype: ScalarType.Float32)], 1);
        SafetensorsWriter.Write(Path.Combine(_temp.Path, "video4.safetensors"), new Dictionary<string, Tensor> { ["features"] = table });
        var samples = VpData.Jin2022Test.Samples.Where(s => s.Video == 4).Take(3).ToList();
        var attached = ViewportImageFeatures.Attach(_temp.Path, ViewportDatasetCatalog.Jin2022, samples);
        Assert.Equal(new[] { 173f, -173f }, attached[0].ImageFeature);
        Assert.Equal(new[] { 263f, -263f }, attached[1].ImageFeature);
        Assert.Equal(samples[2].History, attached[2].History);

        var video8 = VpData.Jin2022Test.Samples.First(s => s.Video == 8);
        var missing = Assert.Throws<InvalidDataException>(() => ViewportImageFeatures.Attach(_temp.Path, ViewportDatasetCatalog.Jin2022, [video8]));
        Assert.Contains(Path.Combine(_temp.Path, "video8.safetensors"), missing.Message);

        using var small = zeros(100, 2);
        SafetensorsWriter.Write(Path.Combine(_temp.Path, "video8.safetensors"), new Dictionary<string, Tensor> { ["features"] = small });
        var late = video8.Timestep == 30 ? VpData.Jin2022Test.Samples.First(s => s.Video == 8 && s.Timestep == 45) : video8;
        var beyond = Assert.Throws<InvalidDataException>(() => ViewportImageFeatures.Attach(_temp.Path, ViewportDatasetCatalog.Jin2022, [late]));
        Assert.Contains("needs frame 264, the file has frames 1-100", beyond.Message);
    }
}
