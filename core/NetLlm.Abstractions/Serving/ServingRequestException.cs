namespace NetLlm.Abstractions.Serving;

/// <summary>
/// A request a task cannot read: a field is missing, of the wrong type, out of range or out of order, or the body is
/// not what the protocol expects. Hosts answer it as a client error (HTTP 400) with <see cref="Exception.Message"/>,
/// which starts with the field's name.
/// </summary>
public sealed class ServingRequestException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="field">The field at fault (a JSON property name or path; <c>body</c> for the whole body).</param>
    /// <param name="problem">What is wrong with it.</param>
    public ServingRequestException(string field, string problem)
        : base($"{field}: {problem}")
    {
        Field = field;
    }

    /// <summary>Creates the exception without a field (required by the analyzers' exception pattern).</summary>
    public ServingRequestException()
        : this("body", "the request cannot be read")
    {
    }

    /// <summary>Creates the exception (field <c>body</c>).</summary>
    /// <param name="message">What is wrong.</param>
    public ServingRequestException(string message)
        : this("body", message)
    {
    }

    /// <summary>Creates the exception (field <c>body</c>) with its cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ServingRequestException(string message, Exception innerException)
        : base("body: " + message, innerException)
    {
        Field = "body";
    }

    /// <summary>The field at fault.</summary>
    public string Field { get; } = "body";
}
