using NetLlm.Baselines.Viewport;
using NetLlm.Encoders.Vision;
using NetLlm.Testing.Conformance;

namespace NetLlm.Tasks.ViewportPrediction.Tests.Task;

public sealed class ManifestTests
{
    [Fact]
    public void Plugins_DeclareValidManifestsAndTheirDependencies()
    {
        var task = ManifestChecks.HasValidManifest(typeof(ViewportPredictionTask).Assembly);
        var baselines = ManifestChecks.HasValidManifest(typeof(VelocityProvider).Assembly, [task.Id]);
        var vision = ManifestChecks.HasValidManifest(typeof(VitImageEncoder).Assembly, [task.Id, baselines.Id]);
        Assert.Equal(("task.vp", "baselines.vp", "encoders.vision"), (task.Id, baselines.Id, vision.Id));
        Assert.Equal(["encoders.standard"], task.DependsOn);
        Assert.Equal(["task.vp"], baselines.DependsOn);
        Assert.Empty(vision.DependsOn);
    }
}
