namespace NetLlm.Fuzz.Tests.Running;

/// <summary>Runs <c>netllm</c> command lines: in this process (fast) or as the executable of any build (before/after).</summary>
public interface ICommandLine : IDisposable
{
    /// <summary>Describes the runner for reports.</summary>
    string Description { get; }

    /// <summary>Runs the command line in <paramref name="workingDirectory"/>, giving up after <paramref name="limit"/>.</summary>
    CommandResult Run(string workingDirectory, TimeSpan limit, IReadOnlyList<string> args);
}
