using NetLlm.Testing;

namespace NetLlm.Cli.Tests;

/// <summary>
/// The README's exit codes through the real executable with no NETLLM_* variables: 2 for the command line and the
/// configuration (including no data root at all), 1 for data (a file missing under a configured data root).
/// </summary>
public sealed class ExitCodeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private (int Exit, string Out, string Error) Netllm(params string[] args) =>
        NetllmProcess.Run(_dir.Path, TimeSpan.FromMinutes(1), [.. args, "--progress", "none"]);

    [Theory]
    [InlineData("abr", "abr.bba", "option --traces")]
    [InlineData("abr", "abr.genet", "abr/models/genet/actor.safetensors")]
    [InlineData("cjs", "cjs.fifo", "cjs/tpch_json")]
    [InlineData("cjs", "cjs.decima", "data root")]
    [InlineData("vp", "vp.lr", "vp/viewports")]
    public void NoDataRoot_IsAConfigurationError_NamingWhatIsNeeded(string task, string policy, string needed)
    {
        var run = Netllm("test", "--task", task, "--policy", policy);

        Assert.True(run.Exit == 2, $"exit {run.Exit}: {run.Error}");
        Assert.Contains("data root", run.Error, StringComparison.Ordinal);
        Assert.Contains(needed, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileMissingUnderAConfiguredDataRoot_IsADataError_NamingThePath()
    {
        var root = Directory.CreateDirectory(Path.Combine(_dir.Path, "data")).FullName;
        var run = Netllm("test", "--task", "abr", "--policy", "abr.genet", "--data-root", root);

        Assert.True(run.Exit == 1, $"exit {run.Exit}: {run.Error}");
        Assert.Contains(Path.Combine(root, "abr/models/genet/actor.safetensors"), run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--data-root", "/no/such/netllm/root", "data root '/no/such/netllm/root' does not exist")]
    [InlineData("--seed", "abc", "Cannot parse argument 'abc' for option '--seed'")]
    [InlineData("--threads", "-1", "key 'threads'")]
    [InlineData("--threads", "100000", "key 'threads': 100000 must be between 0 (libtorch default) and")]
    [InlineData("--trace-count", "-3", "--trace-count")]
    [InlineData("--trace-count", "three", "Cannot parse argument 'three' for option '--trace-count'")] // was an unhandled exception (exit 134)
    public void CommandLineAndConfigurationErrors_Exit2(string option, string value, string message)
    {
        var run = Netllm("test", "--task", "abr", "--policy", "abr.bba", "--setting", "synthetic", option, value);

        Assert.True(run.Exit == 2, $"exit {run.Exit}: {run.Error}");
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AdaptWithEvaluation_ChecksTheEvaluationEnvironmentBeforeTraining()
    {
        var pool = Path.Combine(_dir.Path, "pool.safetensors");
        var collect = Netllm("collect", "--task", "abr", "--setting", "synthetic", "--policy", "abr.bba", "--out", pool);
        Assert.True(collect.Exit == 0, $"collect exit {collect.Exit}: {collect.Error}");

        var runDir = Path.Combine(_dir.Path, "run");
        var run = Netllm("adapt", "--task", "abr", "--pool", pool, "--out", runDir, "--backbone", "llama-tiny-2x256",
            "--max-steps", "50", "--eval-episodes", "2", "--traces", _dir.Path);

        // Before this check, 45 optimiser steps ran and the run directory was written before the first evaluation failed.
        Assert.True(run.Exit == 2, $"exit {run.Exit}: {run.Error}");
        Assert.Contains("--video is required with --traces", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(runDir), "the run directory was created before the options were checked");
    }
}
