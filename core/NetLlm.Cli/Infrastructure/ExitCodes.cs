namespace NetLlm.Cli.Infrastructure;

/// <summary>Process exit codes of <c>netllm</c>.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>The work failed (bad data, I/O error, a failed plugin the command needed).</summary>
    public const int Failure = 1;

    /// <summary>Invalid command line or configuration.</summary>
    public const int Usage = 2;

    /// <summary>Cancelled with Ctrl+C.</summary>
    public const int Cancelled = 130;
}
