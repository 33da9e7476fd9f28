using NetLlm.Abstractions.Tasks;

namespace NetLlm.Reporting.Evaluation;

/// <summary>Copies of a <see cref="TaskRequest"/> with some properties changed (requests are immutable).</summary>
public static class TaskRequestCopy
{
    /// <summary>A copy of <paramref name="request"/> with the given properties replaced (null keeps the original).</summary>
    /// <param name="request">The request.</param>
    /// <param name="seed">New seed.</param>
    /// <param name="policies">New policies.</param>
    /// <param name="progress">New progress sink.</param>
    /// <param name="cancellation">New cancellation token.</param>
    public static TaskRequest With(
        this TaskRequest request,
        int? seed = null,
        IReadOnlyList<string>? policies = null,
        IProgressSink? progress = null,
        CancellationToken? cancellation = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new TaskRequest
        {
            Verb = request.Verb,
            DataRoot = request.DataRoot,
            Seed = seed ?? request.Seed,
            Policies = policies ?? request.Policies,
            Setting = request.Setting,
            Arguments = request.Arguments,
            Output = request.Output,
            Registry = request.Registry,
            Progress = progress ?? request.Progress,
            Logger = request.Logger,
            Cancellation = cancellation ?? request.Cancellation,
        };
    }
}
