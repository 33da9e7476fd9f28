using System.Diagnostics;
using Microsoft.Extensions.Logging;
using NetLlm.Cli.Infrastructure;
using NetLlm.Cli.Sweeps;
using NetLlm.Cluster;
using NetLlm.Core.Adaptation;
using NetLlm.Hosting.Plugins;

namespace NetLlm.Cli.Cluster;

/// <summary>
/// Runs a work item in a silo the way the local verb runs: its command line through <see cref="CliApp.Execute"/> in
/// this process over the loaded plugins, with <c>--json</c> to a scratch file whose content is the item's result.
/// With several worker slots every command gets one libtorch thread. An <c>adapt</c> item run again (its first silo
/// died) continues its run directory's checkpoint in the shared folder (<c>--resume</c> is added when there is one),
/// and one whose run had finished before its result was reported succeeds with the run's <c>run.json</c>.
/// </summary>
public sealed class CliWorkExecutor : IWorkExecutor
{
    private readonly PluginHost _host;
    private readonly ILoggerFactory _loggers;
    private readonly ClusterConfig _config;
    private readonly string _scratch;

    /// <summary>Creates the executor.</summary>
    /// <param name="host">Loaded plugins.</param>
    /// <param name="loggers">Logger factory for the commands.</param>
    /// <param name="config">The cluster configuration (worker slots, artifact folder).</param>
    public CliWorkExecutor(PluginHost host, ILoggerFactory loggers, ClusterConfig config)
    {
        _host = host;
        _loggers = loggers;
        _config = config;
        _scratch = Path.Combine(Path.GetTempPath(), "netllm-silo-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <inheritdoc/>
    public WorkOutcome Execute(WorkLease lease, string worker)
    {
        ArgumentNullException.ThrowIfNull(lease);
        Directory.CreateDirectory(_scratch);
        var json = Path.Combine(_scratch, $"{lease.Item.Id}.{lease.Attempt}.{Guid.NewGuid():N}.json");
        var args = new List<string>(lease.Item.Arguments) { "--json", json };
        if (_config.Workers > 1 && !args.Contains("--threads"))
        {
            args.AddRange(["--threads", "1"]);
        }

        var clock = Stopwatch.StartNew();
        if (args[0] == "adapt" && Output(args) is { } output)
        {
            var run = new RunDirectory(output);
            if (SweepRunner.Finished(run))
            {
                return new WorkOutcome { ItemId = lease.Item.Id, Attempt = lease.Attempt, Succeeded = true, Json = File.ReadAllText(run.Combine(RunDirectory.ManifestFile)), Worker = worker };
            }

            if (run.HasCheckpoint && !args.Contains("--resume"))
            {
                Console.Error.WriteLine($"cluster: {lease.Item.Id} attempt {lease.Attempt}: continuing {output} from its checkpoint (--resume)");
                args.Add("--resume");
            }
        }

        try
        {
            var outcome = ErrorCapture.Run(() => CliApp.Execute(_host, _loggers, [.. args]));
            var succeeded = outcome.Exit == ExitCodes.Success && File.Exists(json);
            return new WorkOutcome
            {
                ItemId = lease.Item.Id,
                Attempt = lease.Attempt,
                Succeeded = succeeded,
                Json = succeeded ? File.ReadAllText(json) : null,
                Error = succeeded ? null : $"exit {outcome.Exit}: {outcome.Error ?? "no error message"}",
                Worker = worker,
                Seconds = clock.Elapsed.TotalSeconds,
            };
        }
        finally
        {
            File.Delete(json);
        }
    }

    /// <summary>The value of <c>--out</c> in a command line, or null.</summary>
    private static string? Output(List<string> args)
    {
        var at = args.LastIndexOf("--out");
        return at >= 0 && at + 1 < args.Count ? args[at + 1] : null;
    }
}
