namespace NetLlm.Transformers.Config;

/// <summary>A typed Hugging Face config that can check its own values after reading.</summary>
public interface IHfConfig
{
    /// <summary>
    /// Checks value ranges and consistency (for example that the hidden size divides by the head count); throws
    /// <see cref="InvalidDataException"/> naming <paramref name="source"/> and the offending keys.
    /// </summary>
    /// <param name="source">Where the config came from (a file path or a preset name), for error messages.</param>
    void Validate(string source);
}
