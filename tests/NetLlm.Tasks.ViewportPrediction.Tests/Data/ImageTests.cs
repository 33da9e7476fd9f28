using NetLlm.Abstractions.Tasks;
using NetLlm.Core.IO;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Options;
using NetLlm.Tasks.ViewportPrediction.Tests.Support;
using NetLlm.Testing;
using static TorchSharp.torch;

namespace NetLlm.Tasks.ViewportPrediction.Tests.Data;

/// <summary>Precomputed features and frames attached to samples: the original's frame index, both file layouts, errors.</summary>
public sealed class ImageTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(4, 30, 174)]
    [InlineData(14, 30, 145)]
    [InlineData(4, 45, 264)]
    public void FrameOf_FollowsTheOriginalsIndex(int video, int timestep, int frame) =>
        Assert.Equal(frame, ViewportImages.FrameOf(ViewportDatasetCatalog.Jin2022, video, timestep));

    [DataFact("vp")]
    public void AttachFeatures_GivesEachSampleTheRowOfItsStartFrame()
    {
        // row r of video 4's table holds (r, -r): frame f (1-based) = row f - 1.
        using var table = stack([arange(0, 400, dtype: ScalarType.Float32), -arange(0, 400, dtype: ScalarType.Float32)], 1);
        SafetensorsWriter.Write(Path.Combine(_temp.Path, "video4.safetensors"), new Dictionary<string, Tensor> { ["features"] = table });
        var samples = VpData.Jin2022Test.Samples.Where(s => s.Video == 4).Take(3).ToList();
        var attached = ViewportImages.AttachFeatures(_temp.Path, ViewportDatasetCatalog.Jin2022, samples);
        Assert.Equal([173f, -173f], attached[0].Image!.Feature!);
        Assert.Equal([263f, -263f], attached[1].Image!.Feature!);
        Assert.Equal(("Jin2022 video 4 frame 174", null), (attached[0].Image!.Key, attached[0].Image!.Pixels));
        Assert.Equal(samples[2].History, attached[2].History);

        var video8 = VpData.Jin2022Test.Samples.First(s => s.Video == 8);
        var missing = Assert.Throws<InvalidDataException>(() => ViewportImages.AttachFeatures(_temp.Path, ViewportDatasetCatalog.Jin2022, [video8]));
        Assert.Contains(Path.Combine(_temp.Path, "video8.safetensors"), missing.Message);

        using var small = zeros(100, 2);
        SafetensorsWriter.Write(Path.Combine(_temp.Path, "video8.safetensors"), new Dictionary<string, Tensor> { ["features"] = small });
        var late = VpData.Jin2022Test.Samples.First(s => s.Video == 8 && s.Timestep == 45);
        var beyond = Assert.Throws<InvalidDataException>(() => ViewportImages.AttachFeatures(_temp.Path, ViewportDatasetCatalog.Jin2022, [late]));
        Assert.Contains("needs frame 264, the file has frames 1-100", beyond.Message);
    }

    [DataFact("vp")]
    public void AttachFrames_ScalesBytes_FollowsFrameNumbers_AndSharesOneImagePerFrame()
    {
        // Only frames 174 and 264 of video 4, stored as bytes: frame 174 all 51 (0.2), frame 264 all 255 (1.0).
        using var pixels = cat([full(new long[] { 1, 3, 4, 4 }, 51, dtype: ScalarType.Byte), full(new long[] { 1, 3, 4, 4 }, 255, dtype: ScalarType.Byte)], 0);
        using var numbers = tensor(new long[] { 174, 264 });
        SafetensorsWriter.Write(Path.Combine(_temp.Path, "video4.safetensors"), new Dictionary<string, Tensor> { ["frames"] = pixels, ["frame_numbers"] = numbers });
        var samples = VpData.Jin2022Test.Samples.Where(s => s.Video == 4 && s.Timestep <= 45).ToList();
        var attached = ViewportImages.AttachFrames(_temp.Path, ViewportDatasetCatalog.Jin2022, samples);
        var first = attached[0].Image!;
        Assert.Equal([3, 4, 4], first.PixelShape);
        Assert.Equal(48, first.Pixels!.Length);
        Assert.All(first.Pixels, v => Assert.Equal(0.2f, v, 6));
        Assert.All(attached[1].Image!.Pixels!, v => Assert.Equal(1f, v));
        Assert.Same(first, attached.First(s => s.Viewer != attached[0].Viewer && s.Timestep == 30).Image);

        var late = VpData.Jin2022Test.Samples.First(s => s.Video == 4 && s.Timestep == 60);
        Assert.Contains("needs frame 354, the file has 2 frames listed in 'frame_numbers'", Assert.Throws<InvalidDataException>(() => ViewportImages.AttachFrames(_temp.Path, ViewportDatasetCatalog.Jin2022, [late])).Message);

        using var flat = zeros(2, 48);
        SafetensorsWriter.Write(Path.Combine(_temp.Path, "video4.safetensors"), new Dictionary<string, Tensor> { ["frames"] = flat });
        Assert.Contains("expected [frames, channels, side, side]", Assert.Throws<InvalidDataException>(() => ViewportImages.AttachFrames(_temp.Path, ViewportDatasetCatalog.Jin2022, samples)).Message);
        using var duplicated = tensor(new long[] { 174, 174 });
        using var two = zeros(2, 3, 4, 4);
        SafetensorsWriter.Write(Path.Combine(_temp.Path, "video4.safetensors"), new Dictionary<string, Tensor> { ["frames"] = two, ["frame_numbers"] = duplicated });
        Assert.Contains("frame numbers are distinct", Assert.Throws<InvalidDataException>(() => ViewportImages.AttachFrames(_temp.Path, ViewportDatasetCatalog.Jin2022, samples)).Message);
    }

    [Fact]
    public void TaskLoad_AttachesTheImagesTheOptionsName()
    {
        using var table = zeros(2000, 2);
        SafetensorsWriter.Write(Path.Combine(_temp.Path, "video4.safetensors"), new Dictionary<string, Tensor> { ["features"] = table });
        var options = new VpOptions { Videos = [4], Viewers = [83], ImageFeatures = _temp.Path };
        var data = VpPlugins.Task.Load(options, DataSplit.Configured, new TaskContext { DataRoot = VpData.DataRoot });
        Assert.Equal(14, data.Samples.Count);
        Assert.All(data.Samples, s => Assert.Equal(2, s.Image!.Feature!.Length));
        Assert.Equal(_temp.Path, (string)data.Provenance["image_features"]!);
        Assert.All(VpPlugins.Task.Load(options with { ImageFeatures = null }, DataSplit.Configured, new TaskContext { DataRoot = VpData.DataRoot }).Samples, s => Assert.Null(s.Image));
        var missing = Assert.Throws<FileNotFoundException>(() => VpPlugins.Task.Load(options with { ImageFeatures = null, Frames = "no/frames" }, DataSplit.Configured, new TaskContext { DataRoot = VpData.DataRoot }));
        Assert.Contains("option --frames", missing.Message);
    }
}
