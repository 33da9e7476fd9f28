namespace NetLlm.Abstractions.Policies;

/// <summary>What a policy is created with.</summary>
/// <param name="Seed">Seed of the policy's own random stream (sampling policies).</param>
/// <param name="DataRoot">Data root holding the policy's weights, if it needs any.</param>
/// <param name="Options">Policy-specific options, for example <c>argmax=true</c>.</param>
public sealed record PolicyRequest(int Seed, string? DataRoot, IReadOnlyDictionary<string, string> Options)
{
    /// <summary>True when option <paramref name="name"/> is present and set to true (or present with no value).</summary>
    /// <param name="name">Option name.</param>
    public bool Flag(string name) =>
        Options.TryGetValue(name, out var v) && (v.Length == 0 || bool.TryParse(v, out var b) && b);
}
