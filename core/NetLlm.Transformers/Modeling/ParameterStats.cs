using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Transformers.Modeling;

/// <summary>Parameter counts and memory of a module (works on the <c>meta</c> device: no data is touched).</summary>
public static class ParameterStats
{
    /// <summary>Number of parameter elements; a parameter object shared by several modules counts once.</summary>
    /// <param name="module">The module (borrowed).</param>
    public static long Count(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var seen = new HashSet<IntPtr>();
        long total = 0;
        foreach (var p in module.parameters())
        {
            if (seen.Add(p.Handle))
            {
                total += p.numel();
            }
        }

        return total;
    }

    /// <summary>State-dict names and shapes, sorted by name (the shape snapshot of a module).</summary>
    /// <param name="module">The module (borrowed).</param>
    public static IReadOnlyList<KeyValuePair<string, long[]>> Shapes(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module.state_dict()
            .Select(kv => new KeyValuePair<string, long[]>(kv.Key, kv.Value.shape))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .ToList();
    }
}
