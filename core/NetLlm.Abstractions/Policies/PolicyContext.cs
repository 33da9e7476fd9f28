using NetLlm.Abstractions.Tasks;

namespace NetLlm.Abstractions.Policies;

/// <summary>What a policy is created with.</summary>
/// <param name="Task">Data root, seed (of the policy's own random stream), cancellation.</param>
/// <param name="TaskOptions">The task's resolved options record (for policies that read the task's data, such as a baseline that trains first).</param>
public sealed record PolicyContext(TaskContext Task, object? TaskOptions)
{
    /// <summary>Seed of the policy's random stream.</summary>
    public int Seed => Task.Seed;

    /// <summary>The data root, or null.</summary>
    public string? DataRoot => Task.DataRoot;
}
