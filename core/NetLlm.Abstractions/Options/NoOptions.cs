namespace NetLlm.Abstractions.Options;

/// <summary>The options record of a component that takes no options.</summary>
public sealed record NoOptions
{
    /// <summary>The shared instance.</summary>
    public static NoOptions Instance { get; } = new();
}
