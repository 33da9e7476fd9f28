using System.Text.Json;
using System.Text.Json.Nodes;
using NetLlm.Core.IO;

namespace NetLlm.Fuzz.Tests.Running;

/// <summary>Checks that an accepted result holds only finite numbers (the silent-wrong-number oracle).</summary>
public static class ResultChecks
{
    /// <summary>Null when standard output is one JSON document whose numbers are all finite, else the problem.</summary>
    public static string? FiniteJson(CommandResult result)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(result.Out);
        }
        catch (JsonException e)
        {
            return "exit 0 but standard output is not JSON: " + e.Message;
        }

        return FirstNonFinite(root, "$");
    }

    /// <summary>Null when the .npy file holds only finite floating-point values, else the problem.</summary>
    public static string? FiniteNpy(string path)
    {
        if (!File.Exists(path))
        {
            return $"exit 0 but {path} was not written";
        }

        foreach (var d in NpyFile.Read(path).ToDoubles())
        {
            if (!double.IsFinite(d))
            {
                return $"exit 0 but {Path.GetFileName(path)} holds {d}";
            }
        }

        return null;
    }

    private static string? FirstNonFinite(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    if (FirstNonFinite(child, path + "." + key) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (FirstNonFinite(array[i], $"{path}[{i}]") is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var s = value.GetValue<string>();
                return s is "NaN" or "Infinity" or "-Infinity" ? $"exit 0 but {path} is {s}" : null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                return double.IsFinite(value.GetValue<double>()) ? null : $"exit 0 but {path} is not finite";
            default:
                return null;
        }
    }
}
