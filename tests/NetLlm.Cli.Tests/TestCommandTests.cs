using System.Text.Json.Nodes;
using NetLlm.Testing;

namespace NetLlm.Cli.Tests;

[Collection(CliCollection.Name)]
public sealed class TestCommandTests
{
    private readonly CliHarness _cli;

    public TestCommandTests(CliHarness cli)
    {
        _cli = cli;
    }

    /// <summary>
    /// The original's numbers through the command line: flags the user did not type (here <c>--deterministic</c>)
    /// must leave the setting's values alone, or the traces are shuffled and BBA scores 0.75045.
    /// </summary>
    [DataTheory("abr")]
    [InlineData("abr.bba", null, 0.76415)]
    [InlineData("abr.mpc", "default", 0.84845)]
    public void AbrTest_OnTheDefaultSetting_GivesTheOriginalsMeanQoe(string policy, string? setting, double expected)
    {
        var args = new List<string> { "test", "--task", "abr", "--policy", policy, "--data-root", TestPaths.DataRootFor("abr"), "--progress", "none", "--json" };
        if (setting is not null)
        {
            args.AddRange(["--setting", setting]);
        }

        var run = _cli.Run([.. args]);

        Assert.True(run.Exit == 0, run.Error);
        var json = JsonNode.Parse(run.Out)!;
        Assert.Equal("test", (string?)json["verb"]);
        Assert.Equal("default", (string?)json["setting"]);
        var result = json["results"]![0]!;
        Assert.Equal(expected, (double)result["metric"]!, 5);
        Assert.Equal(100, result["items"]!.AsArray().Count);
        Assert.StartsWith("fcc-test_000_", (string)result["items"]![0]!["name"]!, StringComparison.Ordinal);
    }

    [DataFact("abr/extra_genet")]
    public void AnExplicitFlag_StillOverridesTheSetting()
    {
        var run = _cli.Run("test", "--task", "abr", "--policy", "abr.bba", "--setting", "unseen-2", "--trace-count", "3", "--data-root", TestPaths.DataRootFor("abr"), "--progress", "none", "--json");
        Assert.True(run.Exit == 0, run.Error);
        var json = JsonNode.Parse(run.Out)!;
        Assert.Equal(3, json["results"]![0]!["items"]!.AsArray().Count);
        Assert.Equal(3, (int)json["options"]!["trace-count"]!);
        Assert.Equal("unseen-2", (string?)json["setting"]);
    }

    [Fact]
    public void AnOptionOfAnotherTask_IsAUsageErrorNamingTheTasksOptions()
    {
        var run = _cli.Run("test", "--task", "abr", "--policy", "abr.mpc", "--executors", "10", "--data-root", TestPaths.DataRootFor("abr"), "--progress", "none");
        Assert.Equal(2, run.Exit);
        Assert.Contains("task 'abr' does not take --executors", run.Error, StringComparison.Ordinal);
        Assert.Contains("--traces", run.Error, StringComparison.Ordinal);
        Assert.Contains("--mpc-float32-state", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("--jobs", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingRequiredOptions_AreUsageErrorsNamingThem()
    {
        var collect = _cli.Run("collect", "--task", "abr", "--policy", "abr.bba", "--data-root", TestPaths.DataRootFor("abr"), "--progress", "none");
        Assert.Equal(2, collect.Exit);
        Assert.Contains("'--out' is required", collect.Error, StringComparison.Ordinal);
        var test = _cli.Run("test", "--task", "vp", "--progress", "none");
        Assert.Equal(2, test.Exit);
        Assert.Contains("'--policy' is required", test.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TaskHelp_ListsThatTasksOptionsOnly()
    {
        var abr = _cli.Run("test", "--task", "abr", "--help");
        var cjs = _cli.Run("test", "--task", "cjs", "--help");
        Assert.Equal(0, abr.Exit);
        Assert.Contains("--traces", abr.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("--executors", abr.Out, StringComparison.Ordinal);
        Assert.Contains("--executors", cjs.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("--traces", cjs.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void BadValues_AreUsageErrorsNamingTheOption()
    {
        var range = _cli.Run("test", "--task", "abr", "--policy", "abr.bba", "--trace-count", "0", "--data-root", TestPaths.DataRootFor("abr"), "--progress", "none");
        Assert.Equal(2, range.Exit);
        Assert.Contains("--trace-count", range.Error, StringComparison.Ordinal);
        var type = _cli.Run("test", "--task", "abr", "--policy", "abr.bba", "--seed", "abc", "--data-root", TestPaths.DataRootFor("abr"), "--progress", "none");
        Assert.Equal(2, type.Exit);
        Assert.Contains("'abc' for option '--seed': expected an integer", type.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", type.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void BadConfigurationAndDataRoot_AreUsageErrorsNamingThem()
    {
        using var dir = new TempDirectory();
        var config = dir.File("dup.json", """{"seed": 1, "seed": 2}""");
        var duplicate = _cli.Run("test", "--task", "abr", "--policy", "abr.bba", "--synthetic", "--config", config, "--progress", "none");
        Assert.Equal(2, duplicate.Exit);
        Assert.Contains($"{config}: A duplicate key 'seed' was found", duplicate.Error, StringComparison.Ordinal);

        var missing = Path.Combine(dir.Path, "no-such-root");
        var root = _cli.Run("test", "--task", "abr", "--policy", "abr.bba", "--data-root", missing, "--progress", "none");
        Assert.Equal(2, root.Exit);
        Assert.Contains($"data root '{missing}' does not exist", root.Error, StringComparison.Ordinal);
        Assert.Contains("netllm data fetch", root.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonHasOneShape_ForOneAndForSeveralPolicies()
    {
        var one = JsonNode.Parse(_cli.Run("test", "--task", "abr", "--policy", "abr.bba", "--trace-count", "2", "--setting", "default", "--data-root", TestPaths.DataRootFor("abr"), "--progress", "none", "--json").Out)!.AsObject();
        var two = JsonNode.Parse(_cli.Run("test", "--task", "abr", "--policy", "abr.bba,abr.mpc", "--trace-count", "2", "--setting", "default", "--data-root", TestPaths.DataRootFor("abr"), "--progress", "none", "--json").Out)!.AsObject();
        Assert.Equal(one.Select(p => p.Key), two.Select(p => p.Key));
        Assert.Equal(2, two["results"]!.AsArray().Count);
        Assert.Equal(one["results"]![0]!.AsObject().Select(p => p.Key), two["results"]![1]!.AsObject().Select(p => p.Key));
        Assert.Equal((double)one["results"]![0]!["metric"]!, (double)two["results"]![0]!["metric"]!);

        // Progress bars go to standard error: standard output stays one JSON document.
        var barred = _cli.Run("test", "--task", "abr", "--policy", "abr.bba", "--trace-count", "2", "--setting", "default", "--data-root", TestPaths.DataRootFor("abr"), "--progress", "bar", "--json");
        Assert.Equal(0, barred.Exit);
        Assert.Equal((double)one["results"]![0]!["metric"]!, (double)JsonNode.Parse(barred.Out)!["results"]![0]!["metric"]!);
    }
}
