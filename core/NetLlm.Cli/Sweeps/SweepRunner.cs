using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NetLlm.Cli.Infrastructure;
using NetLlm.Core.Adaptation;

namespace NetLlm.Cli.Sweeps;

/// <summary>The outcome of one <c>netllm</c> command line run for a sweep item.</summary>
/// <param name="Exit">Exit code (<see cref="ExitCodes"/>).</param>
/// <param name="Error">The command's error message, if it printed one.</param>
public sealed record CommandOutcome(int Exit, string? Error);

/// <summary>
/// Runs a sweep's items one after another (each <c>adapt</c> uses every core) through the same command lines a user
/// would type, recording every step in <see cref="SweepState"/> before and after it runs. Rerunning the same sweep
/// skips finished items, resumes an interrupted <c>adapt</c> from its run directory's checkpoint (or restarts one
/// that had none), tests adapted runs whose test did not finish, and retries a failing item until it failed
/// <see cref="SweepState.MaxAttempts"/> times; a failed item is reported with its error and the sweep goes on.
/// </summary>
public sealed class SweepRunner
{
    private readonly SweepCommandLines _lines;
    private readonly Func<string[], CommandOutcome> _execute;
    private readonly TextWriter _log;

    /// <summary>Creates the runner.</summary>
    /// <param name="lines">The items' command lines and files.</param>
    /// <param name="execute">Runs one <c>netllm</c> command line.</param>
    /// <param name="log">Where progress lines go.</param>
    public SweepRunner(SweepCommandLines lines, Func<string[], CommandOutcome> execute, TextWriter log)
    {
        _lines = lines;
        _execute = execute;
        _log = log;
    }

    /// <summary>
    /// Runs every item that is not finished; returns the final state. A Ctrl+C inside an item (its command exits with
    /// <see cref="ExitCodes.Cancelled"/> after checkpointing) stops the sweep with <see cref="OperationCanceledException"/>
    /// after the state is saved.
    /// </summary>
    /// <param name="items">The grid.</param>
    /// <param name="retryFailed">Give failed items <see cref="SweepState.MaxAttempts"/> new attempts.</param>
    /// <param name="cancellation">Stops the sweep between commands.</param>
    public SweepState Run(IReadOnlyList<SweepItem> items, bool retryFailed, CancellationToken cancellation)
    {
        var state = Open(items, retryFailed);
        var clock = Stopwatch.StartNew();
        var finishedBefore = state.Items.Count(i => i.Status == SweepItemStatus.Done);
        foreach (var item in items)
        {
            cancellation.ThrowIfCancellationRequested();
            var current = state[item.Id];
            if (current.Status is SweepItemStatus.Done or SweepItemStatus.Failed)
            {
                continue;
            }

            state = RunItem(item, state, cancellation);
            var done = state.Items.Count(i => i.Status == SweepItemStatus.Done);
            var failed = state.Items.Count(i => i.Status == SweepItemStatus.Failed);
            var rate = (done - finishedBefore) / Math.Max(clock.Elapsed.TotalHours, 1e-9);
            _log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sweep: {done}/{items.Count} done, {failed} failed, {rate:F1} item(s)/h ({clock.Elapsed.TotalSeconds:F0} s)"));
        }

        return state;
    }

    /// <summary>
    /// The sweep's state: a new one, or the one in the output folder after checking that it describes the same grid
    /// (with <paramref name="retryFailed"/>, failed items get new attempts). Written before it returns.
    /// </summary>
    /// <param name="items">The grid.</param>
    /// <param name="retryFailed">Give failed items new attempts.</param>
    public SweepState Open(IReadOnlyList<SweepItem> items, bool retryFailed)
    {
        var previous = SweepState.Read(_lines.Output);
        if (previous is null)
        {
            var fresh = new SweepState
            {
                File = _lines.File.Path,
                Task = _lines.File.Task,
                Items = [.. items.Select(i => new SweepItemState { Id = i.Id, Arguments = Recorded(i) })],
            };
            fresh.Write(_lines.Output);
            return fresh;
        }

        // A rerun must describe the same grid: same task, same items, same command lines.
        var path = Path.Combine(_lines.Output, SweepState.FileName);
        if (previous.Task != _lines.File.Task || previous.Items.Count != items.Count)
        {
            throw new ArgumentException($"{path} holds a sweep of {previous.Items.Count} item(s) of task '{previous.Task}', not this sweep's {items.Count} of '{_lines.File.Task}': choose another --out");
        }

        foreach (var (item, recorded) in items.Zip(previous.Items))
        {
            var now = Recorded(item);
            if (item.Id != recorded.Id || !now.SequenceEqual(recorded.Arguments, StringComparer.Ordinal))
            {
                throw new ArgumentException($"{path}: item {recorded.Id} was `{string.Join(' ', recorded.Arguments)}`, the sweep file now makes `{string.Join(' ', now)}`: a changed sweep goes to another --out");
            }
        }

        var reopened = !retryFailed ? previous : previous with
        {
            Items = [.. previous.Items.Select(i => i.Status == SweepItemStatus.Failed ? i with { Status = Restart(i), Failures = 0 } : i)],
        };
        reopened.Write(_lines.Output);
        return reopened;
    }

    /// <summary>
    /// The item's command line as recorded in the state: without the options that do not change its result (threads,
    /// progress display), so a rerun may give others.
    /// </summary>
    private string[] Recorded(SweepItem item) =>
        (_lines with { Common = [.. _lines.Common.Where(c => c.Name is not ("threads" or "progress"))] }).Adapt(item, resume: false);

    private SweepItemStatus Restart(SweepItemState item)
    {
        var run = new RunDirectory(Path.Combine(_lines.Output, "runs", item.Id));
        return Finished(run) ? SweepItemStatus.Testing : SweepItemStatus.Adapting;
    }

    private SweepState RunItem(SweepItem item, SweepState state, CancellationToken cancellation)
    {
        var run = new RunDirectory(_lines.RunDirectory(item));
        var s = state[item.Id];
        while (s.Status is not (SweepItemStatus.Done or SweepItemStatus.Failed))
        {
            cancellation.ThrowIfCancellationRequested();
            if (s.Failures >= SweepState.MaxAttempts)
            {
                s = s with { Status = SweepItemStatus.Failed };
                break;
            }

            var testing = s.Status == SweepItemStatus.Testing || Finished(run);
            var line = testing ? _lines.Test(item) : _lines.Adapt(item, resume: run.HasCheckpoint);
            if (line is null)
            {
                s = s with { Status = SweepItemStatus.Done, Error = null };
                break;
            }

            s = s with { Status = testing ? SweepItemStatus.Testing : SweepItemStatus.Adapting, Attempts = s.Attempts + 1 };
            state = Save(state, s);
            _log.WriteLine($"sweep: {item.Id} ({item.Label}): {(testing ? "test" : run.HasCheckpoint ? "adapt --resume" : "adapt")}, attempt {s.Attempts}");
            var clock = Stopwatch.StartNew();
            var outcome = _execute(line);
            s = testing ? s with { TestSeconds = s.TestSeconds + clock.Elapsed.TotalSeconds } : s with { AdaptSeconds = s.AdaptSeconds + clock.Elapsed.TotalSeconds };
            if (outcome.Exit == ExitCodes.Cancelled)
            {
                // Stopped by the user, not failed: the attempt does not count.
                Save(state, s with { Attempts = s.Attempts - 1, Error = "interrupted" });
                throw new OperationCanceledException($"sweep interrupted in item {item.Id}; run the same command again to continue (finished items are skipped, the run resumes from its checkpoint)");
            }

            if (outcome.Exit != ExitCodes.Success)
            {
                var error = outcome.Error ?? $"exit code {outcome.Exit}";
                _log.WriteLine($"sweep: {item.Id} failed (attempt {s.Attempts}): {error}");
                // A wrong command line (exit 2) fails the same way every time: no retry.
                s = s with { Error = error, Failures = s.Failures + 1, Status = outcome.Exit == ExitCodes.Usage || s.Failures + 1 >= SweepState.MaxAttempts ? SweepItemStatus.Failed : s.Status };
                state = Save(state, s);
                continue;
            }

            s = testing
                ? s with { Status = SweepItemStatus.Done, Error = null, Metric = TestMetric(item) }
                : s with { Status = _lines.Test(item) is null ? SweepItemStatus.Done : SweepItemStatus.Testing, Error = null };
            state = Save(state, s);
        }

        return Save(state, s);
    }

    private SweepState Save(SweepState state, SweepItemState item)
    {
        var next = state.With(item);
        next.Write(_lines.Output);
        return next;
    }

    private double? TestMetric(SweepItem item)
    {
        var json = JsonNode.Parse(File.ReadAllText(_lines.Result(item, "test")));
        return json?["results"]?[0]?["metric"]?.GetValue<double>();
    }

    /// <summary>True when the run directory holds a finished adaptation (completed, or stopped by its step limit).</summary>
    /// <param name="run">The run directory.</param>
    internal static bool Finished(RunDirectory run) =>
        run.Exists && run.ReadManifest()["status"]?.GetValue<string>() is "completed" or "stopped";
}
