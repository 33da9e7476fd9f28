using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Engine;
using NetLlm.Reporting.Results;
using TorchSharp;

namespace NetLlm.Reporting.Evaluation;

/// <summary>
/// Runs evaluation cases (by default through the engine's test verb, <see cref="Engine"/>) on worker threads (at most <c>parallelism</c>, one case at a time
/// each, adapted run directories first). With more than one worker every worker sets libtorch to one intra-op thread
/// (the process-wide count is restored afterwards), so runs do not compete for the cores. Each run is independent
/// and seeded by its case, so the results do not depend on the order or the number of workers. The first failure
/// cancels the remaining cases and is rethrown with the policy, setting and seed in its message.
/// </summary>
public static class EvaluationRunner
{
    /// <summary>Runs every case; returns the runs in the order of <paramref name="cases"/>.</summary>
    /// <param name="task">The task (its id and metric, for progress and messages).</param>
    /// <param name="cases">The cases.</param>
    /// <param name="runCase">Runs one case (from any worker thread).</param>
    /// <param name="parallelism">Maximum concurrent runs (at least 1).</param>
    /// <param name="progress">Progress: one step per finished case.</param>
    /// <param name="cancellation">Cancels the evaluation.</param>
    public static IReadOnlyList<EvaluationRun> Run(TaskInfo task, IReadOnlyList<EvaluationCase> cases, Func<EvaluationCase, CancellationToken, EvaluationRun> runCase, int parallelism, IProgressSink progress, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(runCase);
        ArgumentNullException.ThrowIfNull(progress);
        if (parallelism < 1)
        {
            throw new ArgumentException($"parallelism must be at least 1, got {parallelism}", nameof(parallelism));
        }

        var order = Enumerable.Range(0, cases.Count).OrderBy(i => cases[i].IsHeavy ? 0 : 1).ToArray();
        var runs = new EvaluationRun?[cases.Count];
        var workers = Math.Min(parallelism, cases.Count);
        var threadsBefore = torch.get_num_threads();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        ExceptionDispatchInfo? failure = null;
        var failureLock = new object();
        var next = -1;
        using var bar = progress.Start($"eval {task.Id}: {cases.Count} run(s) on {workers} worker(s)", cases.Count);
        var barLock = new object();

        void Work()
        {
            if (workers > 1)
            {
                torch.set_num_threads(1);
            }

            int k;
            while (!stop.IsCancellationRequested && (k = Interlocked.Increment(ref next)) < order.Length)
            {
                var index = order[k];
                var c = cases[index];
                try
                {
                    var clock = Stopwatch.StartNew();
                    runs[index] = runCase(c, stop.Token);
                    lock (barLock)
                    {
                        bar.Advance(1, string.Create(CultureInfo.InvariantCulture, $"{c.Policy} on {c.Setting} seed {c.Seed}: {task.Metric.Name} {runs[index]!.Metric:G6} ({clock.Elapsed.TotalSeconds:F1} s)"));
                    }
                }
                catch (Exception e)
                {
                    lock (failureLock)
                    {
                        failure ??= ExceptionDispatchInfo.Capture(Contextualise(task, c, e));
                    }

                    stop.Cancel();
                }
            }
        }

        try
        {
            if (workers == 1)
            {
                Work();
            }
            else
            {
                var threads = Enumerable.Range(0, workers).Select(i => new Thread(Work) { Name = $"netllm-eval-{i}", IsBackground = true }).ToList();
                threads.ForEach(t => t.Start());
                threads.ForEach(t => t.Join());
            }
        }
        finally
        {
            torch.set_num_threads(threadsBefore);
        }

        failure?.Throw();
        cancellation.ThrowIfCancellationRequested();
        return [.. runs.Select(r => r!)];
    }

    /// <summary>
    /// Runs a case through the engine's test verb: the template request with the case's setting and seed, the case's
    /// policy alone. Throws when the task reported no metric.
    /// </summary>
    /// <param name="template">The request every case derives from (task, registry, options, policy options).</param>
    public static Func<EvaluationCase, CancellationToken, EvaluationRun> Engine(VerbRequest template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return (c, cancellation) =>
        {
            var request = template with
            {
                Setting = c.Setting,
                Context = template.Context with { Seed = c.Seed, Verb = TaskVerb.Test, Progress = NullProgressSink.Instance, Cancellation = cancellation },
            };
            var run = TaskEngine.TestOne(request, c.Policy);
            var score = run.Score ?? throw new InvalidOperationException($"task '{template.Task.Info.Id}' reported no {template.Task.Info.Metric.Name} for {c.Policy} on {c.Setting} (seed {c.Seed})");
            return new EvaluationRun(c.Policy, c.Setting, c.Seed, score.Metric, [.. score.Items.Select(i => i.Value)], new Dictionary<string, double>(score.Components, StringComparer.Ordinal), score.Notes);
        };
    }

    /// <summary>
    /// The same kind of exception with the run named in front of the message (so the CLI maps it to the same exit
    /// code); other exceptions (a libtorch error, a bug) become an <see cref="InvalidOperationException"/> that names
    /// the run and keeps the original as its inner exception.
    /// </summary>
    private static Exception Contextualise(TaskInfo task, EvaluationCase c, Exception e)
    {
        var prefix = $"{task.Id} {c.Policy} on {c.Setting} (seed {c.Seed}): ";
        return e switch
        {
            OperationCanceledException => e,
            ArgumentException => new ArgumentException(prefix + e.Message, e),
            InvalidDataException => new InvalidDataException(prefix + e.Message, e),
            FileNotFoundException f => new FileNotFoundException(prefix + e.Message, f.FileName, e),
            DirectoryNotFoundException => new DirectoryNotFoundException(prefix + e.Message, e),
            IOException => new IOException(prefix + e.Message, e),
            KeyNotFoundException => new KeyNotFoundException(prefix + e.Message, e),
            NotSupportedException => new NotSupportedException(prefix + e.Message, e),
            InvalidOperationException => new InvalidOperationException(prefix + e.Message, e),
            FormatException => new FormatException(prefix + e.Message, e),
            _ => new InvalidOperationException(prefix + e.GetType().Name + ": " + e.Message, e), // native (libtorch) and unexpected errors
        };
    }
}
