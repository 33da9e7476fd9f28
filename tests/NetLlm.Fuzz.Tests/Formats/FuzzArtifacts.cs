using NetLlm.Fuzz.Tests.Running;

namespace NetLlm.Fuzz.Tests.Formats;

/// <summary>
/// Inputs the suite makes once with the command line under test: an ABR experience pool (collect, BBA, 4 generated
/// traces) and an adapted run (2 optimiser steps of llama-tiny-2x256 on it).
/// </summary>
public sealed class FuzzArtifacts
{
    /// <summary>The options of every ABR command of the suite: generated traces, one thread, no progress.</summary>
    public static readonly string[] SyntheticAbr = ["--synthetic", "--synthetic-count", "2", "--progress", "none", "--threads", "1"];

    private readonly Lazy<(string Pool, string Run)> _made;

    /// <summary>Creates the artifacts lazily under <paramref name="folder"/> with <paramref name="cli"/>.</summary>
    public FuzzArtifacts(ICommandLine cli, string folder)
    {
        _made = new Lazy<(string, string)>(() => Make(cli, folder));
    }

    /// <summary>The experience pool file.</summary>
    public string Pool => _made.Value.Pool;

    /// <summary>The adapted run directory.</summary>
    public string Run => _made.Value.Run;

    private static (string, string) Make(ICommandLine cli, string folder)
    {
        var pool = Path.Combine(folder, "pool.safetensors");
        var run = Path.Combine(folder, "run");
        Require(cli.Run(folder, TimeSpan.FromMinutes(5), ["collect", "--task", "abr", "--policy", "abr.bba", "--out", pool, .. SyntheticAbr]), "collect");
        Require(cli.Run(folder, TimeSpan.FromMinutes(5), ["adapt", "--task", "abr", "--pool", pool, "--out", run, "--backbone", "llama-tiny-2x256", "--batch-size", "4", "--max-steps", "2", "--w", "4", .. SyntheticAbr]), "adapt");
        return (pool, run);
    }

    private static void Require(CommandResult result, string verb)
    {
        if (result.Exit != 0)
        {
            throw new InvalidOperationException($"the suite's clean {verb} failed (exit {result.Exit?.ToString() ?? "none"}): {result.Error}");
        }
    }
}
