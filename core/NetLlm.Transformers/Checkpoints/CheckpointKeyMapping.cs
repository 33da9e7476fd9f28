using System.Text.RegularExpressions;

namespace NetLlm.Transformers.Checkpoints;

/// <summary>
/// How checkpoint tensor names map onto a module's state-dict names. A name the module has is taken as is;
/// otherwise <see cref="PrefixRenames"/> are tried, then <see cref="BaseModelPrefix"/> is prepended (checkpoints of
/// the base model, e.g. <c>LlamaModel</c>, lack the <c>model.</c> prefix of <c>LlamaForCausalLM</c>). Names matching
/// <see cref="Ignored"/> that map to nothing are skipped (non-persistent buffers of older exports, tied heads); any
/// other unmatched name is unexpected.
/// </summary>
public sealed record CheckpointKeyMapping
{
    /// <summary>Prefix of the base model inside the module (<c>model.</c>, <c>transformer.</c>), or null.</summary>
    public string? BaseModelPrefix { get; init; }

    /// <summary>Prefix rewrites for alternative layouts, tried in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> PrefixRenames { get; init; } = [];

    /// <summary>Checkpoint names that may be present without a module counterpart.</summary>
    public IReadOnlyList<Regex> Ignored { get; init; } = [];

    /// <summary>
    /// The module name for checkpoint name <paramref name="name"/>, or null when the module has none.
    /// </summary>
    /// <param name="name">Checkpoint tensor name.</param>
    /// <param name="moduleNames">The module's state-dict names.</param>
    public string? Map(string name, IReadOnlySet<string> moduleNames)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(moduleNames);
        foreach (var candidate in Candidates(name))
        {
            if (moduleNames.Contains(candidate))
            {
                return candidate;
            }

            if (BaseModelPrefix is { } prefix && moduleNames.Contains(prefix + candidate))
            {
                return prefix + candidate;
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="name"/> may be skipped.</summary>
    /// <param name="name">Checkpoint tensor name.</param>
    public bool IsIgnored(string name) => Ignored.Any(r => r.IsMatch(name));

    private IEnumerable<string> Candidates(string name)
    {
        yield return name;
        foreach (var (from, to) in PrefixRenames)
        {
            if (name.StartsWith(from, StringComparison.Ordinal))
            {
                yield return to + name[from.Length..];
            }
        }
    }
}
