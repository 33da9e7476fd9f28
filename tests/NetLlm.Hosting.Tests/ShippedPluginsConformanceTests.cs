using NetLlm.Core.Options;
using Xunit.Abstractions;
using NetLlm.Hosting.Plugins;
using NetLlm.Testing;
using NetLlm.Testing.Conformance;

namespace NetLlm.Hosting.Tests;

/// <summary>
/// The conformance kit on every plugin the repository ships, loaded through the host as a user's netllm loads them:
/// every task, baseline policy, encoder and backbone family passes, and with the data root none is skipped.
/// </summary>
public sealed class ShippedPluginsConformanceTests(ITestOutputHelper output)
{
    private readonly ITestOutputHelper _output = output;

    private static string BundledRoot => Path.Combine(AppContext.BaseDirectory, "plugins");

    [Fact]
    public void EveryShippedPlugin_PassesTheConformanceKit()
    {
        using var host = PluginHost.Load([BundledRoot]);
        Assert.All(host.Plugins, p => Assert.True(p.Status == PluginStatus.Loaded, p.Error));
        var registry = host.Registry;
        var dataRoot = Directory.Exists(TestPaths.DataRoot) ? TestPaths.DataRoot : null;

        // TRACK trains before it predicts: a short training is enough to check it.
        var shortTraining = new Dictionary<string, IReadOnlyList<OptionInput>>
        {
            ["vp.track"] = [new OptionInput("track-epochs", 1, "test"), new OptionInput("track-train-samples", 64, "test")],
        };
        var results = PluginConformance.CheckAll(registry, dataRoot, shortTraining);
        foreach (var result in results)
        {
            _output.WriteLine(result.ToString());
        }

        Assert.True(results.All(r => !r.Failed), string.Join("\n", results.Where(r => r.Failed)));
        var checkedIds = results.Select(r => (r.Kind, r.Id)).ToHashSet();
        Assert.All(registry.Tasks, t => Assert.Contains(("task", t.Info.Id), checkedIds));
        Assert.All(registry.Policies, p => Assert.Contains(("policy", p.Id), checkedIds));
        Assert.All(registry.Encoders, e => Assert.Contains(("encoder", e.Id), checkedIds));
        Assert.All(registry.Backbones, b => Assert.Contains(("backbone", b.Family), checkedIds));
        if (dataRoot is not null)
        {
            Assert.True(results.All(r => !r.Skipped), string.Join("\n", results.Where(r => r.Skipped)));
        }
    }

    [Fact]
    public void EveryShippedPlugin_HasAValidManifest()
    {
        using var host = PluginHost.Load([BundledRoot]);
        var ids = host.Plugins.Select(p => p.Manifest!.Id).ToList();
        foreach (var plugin in host.Plugins)
        {
            ManifestChecks.HasValidManifest(plugin.Assembly!, ids.Where(id => id != plugin.Manifest!.Id));
        }
    }
}
