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
    [Theory]
    [InlineData("abr.bba", null, 0.76415)]
    [InlineData("abr.mpc", "default", 0.84845)]
    public void AbrTest_OnTheDefaultSetting_GivesTheOriginalsMeanQoe(string policy, string? setting, double expected)
    {
        var args = new List<string> { "test", "--task", "abr", "--policy", policy, "--data-root", TestPaths.DataRoot, "--progress", "none", "--json" };
        if (setting is not null)
        {
            args.AddRange(["--setting", setting]);
        }

        var run = _cli.Run([.. args]);

        Assert.True(run.Exit == 0, run.Error);
        var json = JsonNode.Parse(run.Out)!;
        Assert.Equal(expected, (double)json["mean_qoe"]!, 5);
        Assert.StartsWith("fcc-test_000_", (string)json["per_trace"]![0]!["name"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void AnExplicitFlag_StillOverridesTheSetting()
    {
        var run = _cli.Run("test", "--task", "abr", "--policy", "abr.bba", "--setting", "unseen-2", "--trace-count", "3", "--data-root", TestPaths.DataRoot, "--progress", "none", "--json");
        Assert.True(run.Exit == 0, run.Error);
        Assert.Equal(3, (int)JsonNode.Parse(run.Out)!["n_traces"]!);
    }
}
