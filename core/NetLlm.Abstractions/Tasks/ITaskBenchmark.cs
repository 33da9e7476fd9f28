using System.Text.Json.Nodes;

namespace NetLlm.Abstractions.Tasks;

/// <summary>
/// Optional for a task: its performance benchmark (simulator or data throughput), run by <c>netllm bench &lt;task&gt;</c>.
/// Figures go into the returned JSON; the host adds the machine, threads and versions.
/// </summary>
/// <typeparam name="TOptions">The task's options record.</typeparam>
public interface ITaskBenchmark<in TOptions>
    where TOptions : class
{
    /// <summary>Runs the benchmark.</summary>
    /// <param name="options">The task's options (the bench verb's default setting applied).</param>
    /// <param name="context">Data root, seed, progress, cancellation, and the registry (to create baseline policies by id).</param>
    /// <param name="quick">Fewer repetitions (a smoke run).</param>
    JsonObject RunBenchmark(TOptions options, TaskContext context, bool quick);
}
