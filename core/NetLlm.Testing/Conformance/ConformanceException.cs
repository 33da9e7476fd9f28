namespace NetLlm.Testing.Conformance;

/// <summary>A plugin broke its contract; the message says which check and how.</summary>
public sealed class ConformanceException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="check">Name of the check.</param>
    /// <param name="detail">What was wrong.</param>
    public ConformanceException(string check, string detail)
        : base($"{check}: {detail}")
    {
        Check = check;
    }

    /// <summary>Name of the failed check.</summary>
    public string Check { get; }
}
