using System.CommandLine;
using Microsoft.Extensions.Logging;
using NetLlm.Cli.Infrastructure;
using NetLlm.Cluster;
using NetLlm.Cli.Sweeps;
using NetLlm.Core.Adaptation;
using NetLlm.Hosting.Plugins;

namespace NetLlm.Cli.Commands;

/// <summary>
/// <c>netllm sweep --file SWEEP.json --out DIR [--retry-failed]</c>: runs the grid of <c>adapt</c> (and <c>test</c>)
/// runs a sweep file declares, one item after another, each in its run directory under <c>DIR/runs/</c>, with the
/// durable state in <c>DIR/sweep-state.json</c>; rerunning the command continues the sweep (finished items are
/// skipped, interrupted runs resume from their checkpoint). Writes <c>DIR/results.csv</c> and <c>DIR/summary.md</c>.
/// Exit 0 when every item is done, 1 when some failed (listed), 2 for a bad sweep file, 130 after Ctrl+C. With
/// <c>--cluster FILE</c> the items run on a cluster (<see cref="SweepClusterRunner"/>) and the outputs are the same.
/// </summary>
public static class SweepCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="runner">Command runner.</param>
    /// <param name="host">Loaded plugins (the items run in this process, over the same plugins).</param>
    /// <param name="loggers">Logger factory for the items' commands.</param>
    /// <param name="common">The common options (passed on to every item when given).</param>
    public static Command Create(CommandRunner runner, PluginHost host, ILoggerFactory loggers, CommonOptions common)
    {
        var file = new Option<string>("--file") { Description = "Sweep file (JSON): task, fixed adapt options, axes, test options (see README, Sweeps)", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder: runs/, results/, sweep-state.json, results.csv, summary.md; rerun with the same folder to continue", Required = true };
        var retry = new Option<bool>("--retry-failed") { Description = $"Give items that failed {SweepState.MaxAttempts} times new attempts" };
        var cluster = ClusterOption.Create("Run the items as work items of a cluster (configuration file, see docs/cluster.md); --out must be in the shared artifact folder");
        var command = new Command("sweep", "Run a declarative grid of adapt (+ test) runs, checkpointed and resumable as a whole")
        {
            file, output, retry, cluster,
        };
        runner.Bind(command, (parse, session) =>
        {
            var sweep = SweepFile.Load(parse.GetRequiredValue(file));
            var folder = Path.GetFullPath(parse.GetRequiredValue(output));
            var lines = new SweepCommandLines(sweep, folder, Forwarded(parse, common));
            var items = SweepItem.Expand(sweep);
            SweepValidation.Check([.. session.Registry.Tasks.Select(t => t.Info.Id)], CliApp.Build(host, loggers, sweep.Task), lines, items);

            // One sweep process per output folder, as one adapt per run directory.
            using var hold = RunLock.Acquire(folder);
            var sweepRunner = new SweepRunner(lines, args => ErrorCapture.Run(() => CliApp.Execute(host, loggers, args)), Console.Error);
            SweepState state;
            try
            {
                state = parse.GetValue(cluster) is { } clusterFile
                    ? new SweepClusterRunner(lines, sweepRunner, ClusterConfig.Load(clusterFile), host, loggers).Run(items, parse.GetValue(retry), session.Cancellation)
                    : sweepRunner.Run(items, parse.GetValue(retry), session.Cancellation);
            }
            finally
            {
                if (SweepState.Read(folder) is { } saved)
                {
                    SweepReport.Write(lines, items, saved);
                }
            }

            Console.Out.Write(File.ReadAllText(Path.Combine(folder, "summary.md")));
            var failed = state.Items.Where(i => i.Status == SweepItemStatus.Failed).ToList();
            foreach (var item in failed)
            {
                Console.Error.WriteLine($"error: item {item.Id} failed after {item.Failures} failure(s): {item.Error}");
            }

            Console.Out.WriteLine($"sweep: {Path.Combine(folder, "results.csv")}, {Path.Combine(folder, "summary.md")}");
            return failed.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
        }, stopsOnSignal: true);
        return command;
    }

    /// <summary>The common options given on the sweep's command line, for every item.</summary>
    private static List<SweepOption> Forwarded(ParseResult parse, CommonOptions common)
    {
        var given = new List<SweepOption>();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                given.Add(new SweepOption(name, [value]));
            }
        }

        Add("data-root", parse.GetValue(common.DataRoot));
        Add("seed", parse.GetValue(common.Seed)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("threads", parse.GetValue(common.Threads)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("config", parse.GetValue(common.Config));
        Add("progress", parse.GetValue(common.Progress));
        return given;
    }
}
