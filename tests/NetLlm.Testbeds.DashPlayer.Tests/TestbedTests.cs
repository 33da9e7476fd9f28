using System.Text.Json.Nodes;
using NetLlm.Abstractions.Plugins;
using NetLlm.Abstractions.Testbeds;
using NetLlm.Baselines.Bba;
using NetLlm.Core.Plugins;
using NetLlm.Testing;
using NetLlm.Testing.Conformance;

namespace NetLlm.Testbeds.DashPlayer.Tests;

/// <summary>The testbed behind <c>netllm realtest --task abr</c>: options, errors and the report it writes.</summary>
[Collection(RealPlayerCollection.Name)]
public class TestbedTests
{
    private static TestbedContext Context(StringWriter output) =>
        new(new PluginRegistry([], [new BbaPolicyProvider()], [], []), TestPaths.DataRootFor("abr"), 1, 1, output, CancellationToken.None);

    [Fact]
    public void ItIsTheAbrTestbedWithTypedOptions()
    {
        ITestbed testbed = new DashPlayerTestbed();
        Assert.Equal("abr", testbed.TaskId);
        Assert.Equal(typeof(DashPlayerOptions), testbed.OptionsType);
        var names = NetLlm.Core.Options.OptionSchema.Of(testbed.OptionsType).Fields.Select(f => f.Name).Order().ToArray();
        Assert.Equal(["argmax", "first-quality", "max-traces", "out", "player", "policy", "rtt-ms", "server", "traces", "video"], names);
        Assert.Equal(80, new DashPlayerOptions().RttMs);
        Assert.Equal(1, new DashPlayerOptions().FirstQuality);
    }

    [Fact]
    public void Manifest_DeclaresATestbedThatDependsOnTheAbrTask()
    {
        var manifest = ManifestChecks.HasValidManifest(typeof(DashPlayerTestbed).Assembly, []);
        Assert.Equal("testbeds.abr.dashplayer", manifest.Id);
        Assert.Equal(PluginKind.Testbed, manifest.Kind);
        Assert.Equal(["task.abr"], manifest.DependsOn);
    }

    [Fact]
    public async Task APolicyThatIsNotABaselineNeedsAServer()
    {
        using var output = new StringWriter();
        var error = await Assert.ThrowsAsync<ArgumentException>(() => new DashPlayerTestbed().RunAsync(Context(output),
            new DashPlayerOptions { Policy = "runs/abr", Traces = "/tmp", Video = "/tmp", Player = "/tmp" }));
        Assert.Contains("netllm serve", error.Message, StringComparison.Ordinal);
        Assert.Contains("option server", error.Message, StringComparison.Ordinal);
        var argmax = await Assert.ThrowsAsync<ArgumentException>(() => new DashPlayerTestbed().RunAsync(Context(output),
            new DashPlayerOptions { Policy = "abr.bba", Traces = "/tmp", Video = "/tmp", Player = "/tmp", Server = "http://127.0.0.1:9/", Argmax = true }));
        Assert.Contains("start that server with --argmax", argmax.Message, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<ArgumentException>(() => new DashPlayerTestbed().RunAsync(Context(output), new DashPlayerOptions { Policy = "abr.bba" }));
        Assert.Contains("trace folder", missing.Message, StringComparison.Ordinal);
    }

    [PlayerFact]
    public async Task OneTraceWritesTheReport()
    {
        var video = PlayerEnvironment.ShortVideo(6);
        using var dir = new TempDirectory();
        var traces = Path.Combine(dir.Path, "traces");
        Directory.CreateDirectory(traces);
        var source = Path.Combine(TestPaths.DataRootFor("abr"), "abr", "traces", "test", "fcc-test");
        File.Copy(Directory.GetFiles(source, "004_*").Single(), Path.Combine(traces, "004_fcc"));
        using var output = new StringWriter();
        var code = await new DashPlayerTestbed().RunAsync(Context(output), new DashPlayerOptions
        {
            Policy = "abr.bba", Traces = traces, Video = video, Out = Path.Combine(dir.Path, "out"), Player = PlayerEnvironment.PlayerDir,
        });
        Assert.Equal(0, code);
        var csv = File.ReadAllLines(Path.Combine(dir.Path, "out", "results.csv"));
        Assert.Equal(2, csv.Length);
        Assert.StartsWith("policy,trace,real_qoe,sim_qoe,", csv[0], StringComparison.Ordinal);
        Assert.StartsWith("abr.bba,traces_004_fcc,", csv[1], StringComparison.Ordinal);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.Path, "out", "results.json")))!;
        var trace = json["traces"]![0]!;
        Assert.Equal(6, trace["chunks"]!.AsArray().Count);
        Assert.Equal(6, (int)trace["real"]!["chunks"]!);
        Assert.Null(trace["sim"]); // the simulator needs the 48-chunk video; a 6-segment one has no sim column
        Assert.True(File.Exists(Path.Combine(dir.Path, "out", "player.png")));
        Assert.Contains("| **mean ± std** |", File.ReadAllText(Path.Combine(dir.Path, "out", "summary.md")), StringComparison.Ordinal);
        Assert.Contains("served in process", output.ToString(), StringComparison.Ordinal);
    }
}
