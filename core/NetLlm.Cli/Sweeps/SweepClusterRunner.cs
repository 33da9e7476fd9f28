using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NetLlm.Cli.Cluster;
using NetLlm.Cluster;
using NetLlm.Core.Adaptation;
using NetLlm.Core.IO;
using NetLlm.Hosting.Plugins;

namespace NetLlm.Cli.Sweeps;

/// <summary>
/// <c>netllm sweep --cluster FILE</c>: the sweep's unfinished items run as work items of a cluster in two grids — the
/// <c>adapt</c> runs, then the <c>test</c> of every adapted run — while this process alone writes the sweep state,
/// the items' JSON results and the report, exactly as a local sweep does. The output folder must be the same path on
/// every silo (the shared artifact folder). An <c>adapt</c> run again on another silo continues its checkpoint.
/// </summary>
public sealed class SweepClusterRunner
{
    private readonly SweepCommandLines _lines;
    private readonly SweepRunner _local;
    private readonly ClusterConfig _config;
    private readonly PluginHost _plugins;
    private readonly ILoggerFactory _loggers;

    /// <summary>Creates the runner.</summary>
    /// <param name="lines">The items' command lines and files.</param>
    /// <param name="local">The local runner (opens and checks the state).</param>
    /// <param name="config">The cluster configuration.</param>
    /// <param name="plugins">Loaded plugins (for an in-process silo).</param>
    /// <param name="loggers">Logger factory (for an in-process silo's commands).</param>
    public SweepClusterRunner(SweepCommandLines lines, SweepRunner local, ClusterConfig config, PluginHost plugins, ILoggerFactory loggers)
    {
        _lines = lines;
        _local = local;
        _config = config;
        _plugins = plugins;
        _loggers = loggers;
    }

    /// <summary>Runs every unfinished item on the cluster; returns the final state.</summary>
    /// <param name="items">The grid.</param>
    /// <param name="retryFailed">Give failed items new attempts.</param>
    /// <param name="cancellation">Stops following the grids.</param>
    public SweepState Run(IReadOnlyList<SweepItem> items, bool retryFailed, CancellationToken cancellation)
    {
        var state = _local.Open(items, retryFailed);
        var adapt = items.Where(i => state[i.Id].Status is SweepItemStatus.Pending or SweepItemStatus.Adapting && !SweepRunner.Finished(new RunDirectory(_lines.RunDirectory(i)))).ToList();
        state = Phase(state, adapt, "adapt", i => _lines.Adapt(i, resume: false), cancellation);
        var test = items.Where(i => state[i.Id].Status is SweepItemStatus.Pending or SweepItemStatus.Adapting or SweepItemStatus.Testing).ToList();
        return _lines.File.Test is null
            ? Finish(state, test)
            : Phase(state, test, "test", i => _lines.Test(i)!, cancellation);
    }

    private SweepState Phase(SweepState state, IReadOnlyList<SweepItem> items, string verb, Func<SweepItem, string[]> line, CancellationToken cancellation)
    {
        if (items.Count == 0)
        {
            return state;
        }

        var work = items.Select(i => new WorkItem { Id = i.Id + "." + verb, Arguments = SweepCommandLines.WithoutJson(line(i)) }).ToList();
        foreach (var item in items)
        {
            state = Save(state, state[item.Id] with { Status = verb == "adapt" ? SweepItemStatus.Adapting : SweepItemStatus.Testing });
        }

        var results = ClusterGrid.Run(_config, _plugins, _loggers, GridClient.GridId("sweep-" + verb, work), work, cancellation);
        ClusterGrid.WriteCsv(Path.Combine(_lines.Output, "cluster-" + verb + ".csv"), results);
        foreach (var (item, result) in items.Zip(results))
        {
            var s = state[item.Id] with { Attempts = state[item.Id].Attempts + result.Attempts };
            if (result.Status != GridItemStatus.Done)
            {
                s = s with { Status = SweepItemStatus.Failed, Failures = s.Failures + result.Attempts, Error = result.Error };
            }
            else
            {
                AtomicFile.WriteAllText(_lines.Result(item, verb), result.Result!.Json!);
                s = verb == "adapt"
                    ? s with { Status = _lines.File.Test is null ? SweepItemStatus.Done : SweepItemStatus.Testing, AdaptSeconds = s.AdaptSeconds + result.Result.Seconds, Error = null }
                    : s with { Status = SweepItemStatus.Done, TestSeconds = s.TestSeconds + result.Result.Seconds, Error = null, Metric = JsonNode.Parse(result.Result.Json!)?["results"]?[0]?["metric"]?.GetValue<double>() };
            }

            state = Save(state, s);
        }

        return state;
    }

    private SweepState Finish(SweepState state, IReadOnlyList<SweepItem> items)
    {
        foreach (var item in items.Where(i => SweepRunner.Finished(new RunDirectory(_lines.RunDirectory(i)))))
        {
            state = Save(state, state[item.Id] with { Status = SweepItemStatus.Done });
        }

        return state;
    }

    private SweepState Save(SweepState state, SweepItemState item)
    {
        var next = state.With(item);
        next.Write(_lines.Output);
        return next;
    }
}
