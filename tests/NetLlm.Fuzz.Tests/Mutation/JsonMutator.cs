using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NetLlm.Fuzz.Tests.Mutation;

/// <summary>
/// Damage to JSON documents (configs, manifests, run.json, safetensors headers): one value replaced by an extreme,
/// a wrong type, null or a deep nest; a key removed, duplicated or added; or syntactic damage through the text
/// mutator.
/// </summary>
internal static class JsonMutator
{
    /// <summary>A damaged copy of the UTF-8 JSON <paramref name="bytes"/> and what was done.</summary>
    public static (byte[] Bytes, string Description) Mutate(byte[] bytes, Random random)
    {
        var (text, description) = Mutate(Encoding.UTF8.GetString(bytes), random);
        return (Encoding.UTF8.GetBytes(text), description);
    }

    /// <summary>A damaged copy of <paramref name="json"/> and what was done.</summary>
    public static (string Text, string Description) Mutate(string json, Random random)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            root = null;
        }

        if (root is null || random.Next(6) == 0)
        {
            return TextMutator.Mutate(json, random);
        }

        var nodes = new List<(JsonNode? Parent, string? Key, int Index, JsonNode? Node)>();
        Collect(root, null, null, -1, nodes);
        var (parent, key, index, node) = nodes[random.Next(nodes.Count)];
        var path = node?.GetPath() ?? parent?.GetPath() + "." + key;
        switch (random.Next(6))
        {
            case 0:
            case 1:
                {
                    var raw = Replacement(random, out var what);
                    return (Replace(root, parent, key, index, raw), $"{path} -> {what}");
                }

            case 2 when parent is JsonObject obj && key is not null:
                obj.Remove(key);
                return (root.ToJsonString(), $"{path} removed");

            case 3 when parent is JsonObject && key is not null:
                {
                    // A duplicate key is only expressible in text: write the object, then repeat the property.
                    var text = root.ToJsonString();
                    var needle = JsonSerializer.Serialize(key) + ":";
                    var at = text.IndexOf(needle, StringComparison.Ordinal);
                    if (at < 0)
                    {
                        goto default;
                    }

                    var value = ExtremeValues.Numbers[random.Next(ExtremeValues.Numbers.Length)];
                    return (text[..at] + needle + value + "," + text[at..], $"{path} duplicated with {value}");
                }

            case 4 when node is JsonObject added:
                {
                    var name = random.Next(2) == 0 ? "unknown_key" : string.Empty;
                    added[name] = JsonValue.Create(1);
                    return (root.ToJsonString(), $"key '{name}' added to {path}");
                }

            default:
                {
                    var raw = Replacement(random, out var what);
                    return (Replace(root, parent, key, index, raw), $"{path} -> {what}");
                }
        }
    }

    private static string Replacement(Random random, out string what)
    {
        switch (random.Next(9))
        {
            case 0:
            case 1:
            case 2:
                what = ExtremeValues.Numbers[random.Next(ExtremeValues.Numbers.Length)];
                return what;
            case 3:
                {
                    var value = ExtremeValues.Any(random);
                    what = "\"" + value + "\"";
                    return JsonSerializer.Serialize(value);
                }

            case 4:
                what = "null";
                return "null";
            case 5:
                what = random.Next(2) == 0 ? "true" : "[]";
                return what;
            case 6:
                what = "{}";
                return "{}";
            case 7:
                {
                    var depth = random.Next(2) == 0 ? 100 : 100_000;
                    what = $"an array nested {depth} deep";
                    return new string('[', depth) + new string(']', depth);
                }

            default:
                what = "a 1 MB string";
                return "\"" + new string('x', 1 << 20) + "\"";
        }
    }

    private static string Replace(JsonNode root, JsonNode? parent, string? key, int index, string raw)
    {
        // Raw replacements (deep nests, numbers JSON numbers cannot hold) are spliced into the text at a marker.
        const string marker = "\"__netllm_fuzz_marker__\"";
        var placeholder = JsonValue.Create("__netllm_fuzz_marker__");
        switch (parent)
        {
            case JsonObject obj when key is not null:
                obj[key] = placeholder;
                break;
            case JsonArray array when index >= 0:
                array[index] = placeholder;
                break;
            default:
                return raw;
        }

        return root.ToJsonString().Replace(marker, raw, StringComparison.Ordinal);
    }

    private static void Collect(JsonNode? node, JsonNode? parent, string? key, int index, List<(JsonNode?, string?, int, JsonNode?)> into)
    {
        into.Add((parent, key, index, node));
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    Collect(child, obj, name, -1, into);
                }

                break;
            case JsonArray array:
                // Large arrays (safetensors shapes are small; data lists may be long): sample a few elements.
                for (var i = 0; i < array.Count; i += Math.Max(1, array.Count / 8))
                {
                    Collect(array[i], array, null, i, into);
                }

                break;
        }
    }
}
