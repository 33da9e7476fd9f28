namespace NetLlm.Cluster;

/// <summary>
/// Runs a work item's command line in a silo (the host provides it: <c>netllm</c> runs the command in-process over
/// its plugins). Called from worker threads, one item per call; may block for hours (an <c>adapt</c> run).
/// </summary>
public interface IWorkExecutor
{
    /// <summary>Runs the item; returns the outcome (a failure is an outcome, not an exception).</summary>
    /// <param name="lease">The leased item.</param>
    /// <param name="worker">The worker's name (for the outcome).</param>
    WorkOutcome Execute(WorkLease lease, string worker);
}
