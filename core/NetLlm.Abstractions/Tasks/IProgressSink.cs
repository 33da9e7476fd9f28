namespace NetLlm.Abstractions.Tasks;

/// <summary>
/// Where long work reports progress. The CLI renders a progress bar on a terminal and plain log lines otherwise.
/// </summary>
public interface IProgressSink
{
    /// <summary>Starts a unit of work of <paramref name="total"/> steps; dispose it when done.</summary>
    /// <param name="description">What is being done.</param>
    /// <param name="total">Number of steps.</param>
    IProgressTask Start(string description, double total);
}

/// <summary>One unit of work in progress.</summary>
public interface IProgressTask : IDisposable
{
    /// <summary>Advances by <paramref name="steps"/> and updates the status text (loss, throughput).</summary>
    /// <param name="steps">Steps done since the last call.</param>
    /// <param name="status">Optional status text.</param>
    void Advance(double steps, string? status = null);
}

/// <summary>A sink that reports nothing (tests, nested work).</summary>
public sealed class NullProgressSink : IProgressSink, IProgressTask
{
    /// <summary>The shared instance.</summary>
    public static NullProgressSink Instance { get; } = new();

    /// <inheritdoc />
    public IProgressTask Start(string description, double total) => this;

    /// <inheritdoc />
    public void Advance(double steps, string? status = null)
    {
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
