using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NetLlm.Abstractions;
using NetLlm.Templates.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NetLlm.Templates.Tests;

/// <summary>
/// The templates' smoke test: the five templates install from the repository folder, every template instantiates,
/// builds with warnings as errors and passes its own generated tests, each plugin's output holds only its own
/// assembly, the packed plugins install with <c>netllm plugins install</c> and load in the host, and the generated
/// prediction task adapts and tests through <c>netllm</c> with the generated baseline of another plugin (the decision
/// task's whole pipeline is <see cref="DecisionTaskEndToEndTests"/>).
/// </summary>
[Collection(SmokeCollection.Name)]
public sealed partial class TemplateSmokeTests
{
    private readonly SmokeWorkspace _workspace;
    private readonly ITestOutputHelper _output;

    public TemplateSmokeTests(SmokeWorkspace workspace, ITestOutputHelper output)
    {
        _workspace = workspace;
        _output = output;
    }

    [Fact]
    public void TemplatePack_InstallsTheFiveTemplatesFromTheRepositoryFolder()
    {
        foreach (var (stage, seconds) in _workspace.Stages)
        {
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stage}: {seconds:F1} s"));
        }

        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total: {_workspace.TotalSeconds:F1} s"));
        Assert.All(SmokeWorkspace.Names.Keys, template => Assert.Contains(template, _workspace.InstallOutput));
        Assert.DoesNotMatch(OldTaskTemplate(), _workspace.InstallOutput);
        Assert.Equal(6, _workspace.Stages.Count);
    }

    [Theory]
    [InlineData("netllm-decision-task", 20)]
    [InlineData("netllm-prediction-task", 10)]
    [InlineData("netllm-baseline", 5)]
    [InlineData("netllm-encoder", 9)]
    [InlineData("netllm-backbone", 13)]
    public void GeneratedProject_BuildsAndPassesItsOwnTests(string template, int tests)
    {
        var (passed, failed) = _workspace.TestCounts(template);

        Assert.Equal(0, failed);
        Assert.Equal(tests, passed);
    }

    [Theory]
    [InlineData("netllm-decision-task")]
    [InlineData("netllm-prediction-task")]
    [InlineData("netllm-baseline")]
    [InlineData("netllm-encoder")]
    [InlineData("netllm-backbone")]
    public void GeneratedPlugin_OutputHoldsOnlyItsOwnAssembly(string template)
    {
        var name = SmokeWorkspace.Names[template];
        var output = Path.Combine(_workspace.ProjectFolder(template), "src", name, "bin", "Release", "net10.0");

        var assemblies = Directory.GetFiles(output, "*.dll").Select(Path.GetFileName).ToList();

        Assert.Equal([name + ".dll"], assemblies);
    }

    [Fact]
    public void InstalledPackages_LoadThroughTheHost()
    {
        var listing = ProcessRunner.Netllm(_workspace.Root, ["plugins", "--json", "--plugins-dir", _workspace.PluginsDirectory]).EnsureSuccess();

        var plugins = JsonNode.Parse(listing.Stdout)!.AsArray().Select(p => p!.AsObject()).ToDictionary(p => p["id"]!.GetValue<string>());
        Assert.Equal(5, _workspace.InstallLines.Count);
        Assert.All(_workspace.InstallLines, line => Assert.Contains($"(contract {ContractInfo.Version})", line));
        Assert.Equal(["backbone.smoke", "baselines.smoke-bw.ewma", "encoders.smoke", "task.smoke-bw", "task.smoke-link"], plugins.Keys.Order(StringComparer.Ordinal));
        Assert.All(plugins.Values, p => Assert.Equal("loaded", p["status"]!.GetValue<string>()));
        Assert.Equal(Components("task:smoke-link", "policy:smoke-link.greedy", "policy:smoke-link.random"), Components(plugins["task.smoke-link"]));
        Assert.Equal(Components("task:smoke-bw", "policy:smoke-bw.last-value"), Components(plugins["task.smoke-bw"]));
        Assert.Equal(Components("policy:smoke-bw.ewma"), Components(plugins["baselines.smoke-bw.ewma"]));
        Assert.Equal(Components("encoder:" + SmokeWorkspace.EncoderId), Components(plugins["encoders.smoke"]));
        Assert.Single(Components(plugins["backbone.smoke"]));
    }

    [Fact]
    public void GeneratedBackbone_PresetIsServedByTheHost()
    {
        var info = ProcessRunner.Netllm(_workspace.Root, ["backbone", "info", "--preset", SmokeWorkspace.ModelType + "-tiny", "--json", "--plugins-dir", _workspace.PluginsDirectory]).EnsureSuccess();

        var json = JsonNode.Parse(info.Stdout)!;
        Assert.Equal(SmokeWorkspace.ModelType, json["model_type"]!.GetValue<string>());
        Assert.Equal(2, json["layers"]!.GetValue<int>());
        Assert.Equal(64, json["hidden_size"]!.GetValue<int>());
        // embeddings 256x64 + 512x64, two layers of 4 biased 64x64 projections, 2 layer norms and a 64-256-64 MLP, final norm
        Assert.Equal(149_248, json["parameters"]!.GetValue<long>());
    }

    [Fact]
    public void GeneratedPredictionTask_AdaptsAndTestsWithTheGeneratedBaseline()
    {
        var run = Path.Combine(_workspace.Root, "runs", SmokeWorkspace.TaskId);
        string[] plugins = ["--plugins-dir", Repository.BundledPlugins, "--plugins-dir", _workspace.PluginsDirectory];

        var adapt = ProcessRunner.Netllm(_workspace.Root, ["adapt", "--task", SmokeWorkspace.TaskId, "--backbone", "llama-tiny-2x256", "--epochs", "1", "--rank", "8", "--warmup-steps", "0", "--batch-size", "8", "--out", run, "--json", "--progress", "none", "--seed", "1", .. plugins]).EnsureSuccess();
        var test = ProcessRunner.Netllm(_workspace.Root, ["test", "--task", SmokeWorkspace.TaskId, "--policy", $"{run},{SmokeWorkspace.TaskId}.last-value,{SmokeWorkspace.TaskId}.ewma", "--alpha", "0.3", "--json", "--progress", "none", "--seed", "1", .. plugins]).EnsureSuccess();

        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"adapt {adapt.Seconds:F1} s, test {test.Seconds:F1} s"));
        var adapted = JsonNode.Parse(adapt.Stdout)!["results"]![0]!["run"]!;
        Assert.Equal("completed", adapted["status"]!.GetValue<string>());
        // 6 training traces of 13 windows in batches of 8
        Assert.Equal(10, adapted["result"]!["steps"]!.GetValue<int>());
        Assert.True(File.Exists(Path.Combine(run, "adapter", "adapter_model.safetensors")));
        var results = JsonNode.Parse(test.Stdout)!["results"]!.AsArray();
        Assert.Equal([run, SmokeWorkspace.TaskId + ".last-value", SmokeWorkspace.TaskId + ".ewma"], results.Select(r => r!["policy"]!.GetValue<string>()));
        Assert.All(results, r => Assert.Equal(2 * 13, r!["items"]!.AsArray().Count));
        Assert.All(results, r => Assert.InRange(r!["metric"]!.GetValue<double>(), 0.0, 10.0));
    }

    [GeneratedRegex(@"\bnetllm-task\b")]
    private static partial Regex OldTaskTemplate();

    private static string[] Components(params string[] items) => [.. items.Order(StringComparer.Ordinal)];

    private static string[] Components(JsonObject plugin) =>
        [.. plugin["components"]!.AsArray().Select(c => c!.GetValue<string>()).Order(StringComparer.Ordinal)];
}
