namespace NetLlm.Core.Serving;

/// <summary>A request named a session the server does not hold (never opened, deleted, or closed at shutdown).</summary>
public sealed class UnknownSessionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UnknownSessionException()
        : base("unknown session")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public UnknownSessionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public UnknownSessionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A session could not be opened: the server holds its maximum, or it is stopping.</summary>
public sealed class SessionLimitException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SessionLimitException()
        : base("no more sessions")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public SessionLimitException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public SessionLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
