using System.Globalization;
using System.Text.Json.Nodes;

namespace NetLlm.Cli.Infrastructure;

/// <summary>Compares two benchmark documents figure by figure.</summary>
public static class BenchComparison
{
    /// <summary>
    /// One line per numeric figure present in both documents: <c>path: earlier -&gt; now (ratio x)</c>.
    /// </summary>
    /// <param name="earlier">Earlier suites object.</param>
    /// <param name="now">Current suites object.</param>
    public static IEnumerable<string> Compare(JsonNode? earlier, JsonNode? now)
    {
        var before = new Dictionary<string, double>(StringComparer.Ordinal);
        Flatten(earlier, string.Empty, before);
        var after = new Dictionary<string, double>(StringComparer.Ordinal);
        Flatten(now, string.Empty, after);
        foreach (var (path, value) in after.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (before.TryGetValue(path, out var old) && old != 0)
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"{path}: {old:G6} -> {value:G6} ({value / old:0.00}x)");
            }
        }
    }

    private static void Flatten(JsonNode? node, string prefix, Dictionary<string, double> into)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o)
                {
                    Flatten(v, prefix.Length == 0 ? k : prefix + "." + k, into);
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    Flatten(a[i], $"{prefix}[{i}]", into);
                }

                break;
            case JsonValue v when v.TryGetValue<double>(out var d):
                into[prefix] = d;
                break;
        }
    }
}
