using NetLlm.Baselines.LinearRegression;
using NetLlm.Baselines.Persistence;
using NetLlm.Baselines.Track;
using NetLlm.Baselines.Velocity;
using NetLlm.Encoders.Vision;
using NetLlm.Testing.Conformance;

namespace NetLlm.Tasks.ViewportPrediction.Tests.Task;

public sealed class ManifestTests
{
    [Fact]
    public void Plugins_DeclareValidManifestsAndTheirDependencies()
    {
        var task = ManifestChecks.HasValidManifest(typeof(ViewportPredictionTask).Assembly);
        Assert.Equal("task.vp", task.Id);
        Assert.Equal(["encoders.standard"], task.DependsOn);
        var ids = new List<string> { task.Id };
        foreach (var (type, id) in new[] { (typeof(LinearRegressionProvider), "baselines.vp.lr"), (typeof(VelocityProvider), "baselines.vp.velocity"), (typeof(HoldProvider), "baselines.vp.persistence"), (typeof(TrackProvider), "baselines.vp.track") })
        {
            var baseline = ManifestChecks.HasValidManifest(type.Assembly, ids);
            Assert.Equal(id, baseline.Id);
            Assert.Equal(["task.vp"], baseline.DependsOn);
            ids.Add(baseline.Id);
        }

        var vision = ManifestChecks.HasValidManifest(typeof(VitImageEncoder).Assembly, ids);
        Assert.Equal("encoders.vision", vision.Id);
        Assert.Empty(vision.DependsOn);
    }
}
