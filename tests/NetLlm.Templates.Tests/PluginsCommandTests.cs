using System.Text.Json.Nodes;
using NetLlm.Abstractions;
using NetLlm.Templates.Tests.Infrastructure;

namespace NetLlm.Templates.Tests;

/// <summary><c>netllm plugins install</c> and <c>netllm plugins remove</c> through the built CLI: output and exit codes.</summary>
public sealed class PluginsCommandTests : IDisposable
{
    private readonly PluginsFolder _folder = new();

    [Fact]
    public void InstallListForceAndRemove_ThroughTheCli()
    {
        var good = Repository.FixturePlugin("NetLlm.Fixtures.Good");

        var install = Netllm("plugins", "install", good);
        var listing = Netllm("plugins", "--json");
        var again = Netllm("plugins", "install", good);
        var forced = Netllm("plugins", "install", good, "--force", "--json");
        var remove = Netllm("plugins", "remove", "fixture.good");
        var removeAgain = Netllm("plugins", "remove", "fixture.good");

        Assert.Equal(0, install.ExitCode);
        Assert.Contains($"Installed encoder plugin 'fixture.good' 0.1.0 (contract {ContractInfo.Version}) into {Path.Combine(_folder.Plugins, "NetLlm.Fixtures.Good")}", install.Stdout);
        var record = Assert.Single(JsonNode.Parse(listing.Stdout)!.AsArray())!;
        Assert.Equal("loaded", record["status"]!.GetValue<string>());
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("error: plugin 'fixture.good' is already installed", again.Stderr);
        Assert.Equal(0, forced.ExitCode);
        Assert.Equal(Path.Combine(_folder.Plugins, "NetLlm.Fixtures.Good"), JsonNode.Parse(forced.Stdout)!["replaced"]![0]!.GetValue<string>());
        Assert.Equal(0, remove.ExitCode);
        Assert.Contains("Removed plugin 'fixture.good' 0.1.0", remove.Stdout);
        Assert.Equal(2, removeAgain.ExitCode);
        Assert.Contains("error: no plugin 'fixture.good'", removeAgain.Stderr);
        Assert.Empty(Directory.GetDirectories(_folder.Plugins));
    }

    [Fact]
    public void Install_OfAnIncompatibleContract_FailsWithTheVersionItNeeds()
    {
        var result = Netllm("plugins", "install", Repository.FixturePlugin("NetLlm.Fixtures.WrongContract"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"plugin 'fixture.wrong-contract' declares contract 3.0; this host implements contract {ContractInfo.Version}", result.Stderr);
        Assert.False(Directory.Exists(Path.Combine(_folder.Plugins, "NetLlm.Fixtures.WrongContract")));
    }

    public void Dispose() => _folder.Dispose();

    private ProcessResult Netllm(params string[] arguments) =>
        ProcessRunner.Netllm(_folder.Root, [.. arguments, "--plugins-dir", _folder.Plugins], TimeSpan.FromMinutes(3));
}
