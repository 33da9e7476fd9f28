using System.Collections.ObjectModel;

namespace NetLlm.Abstractions.Environments;

/// <summary>A shared, empty info dictionary, so environments need not allocate one per step.</summary>
public static class EmptyInfo
{
    /// <summary>The empty dictionary.</summary>
    public static readonly IReadOnlyDictionary<string, object?> Instance =
        new ReadOnlyDictionary<string, object?>(new Dictionary<string, object?>());
}
