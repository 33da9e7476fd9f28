namespace NetLlm.Hosting.Configuration;

/// <summary>A configuration file or value is invalid; the message names the file, line or key.</summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the file, line or key and the accepted values.</param>
    /// <param name="inner">Underlying error, if any.</param>
    public ConfigurationException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
