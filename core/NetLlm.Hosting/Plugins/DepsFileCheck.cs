using System.Text.Json;

namespace NetLlm.Hosting.Plugins;

/// <summary>
/// Checks a plugin's <c>.deps.json</c> before the runtime reads it. The runtime's native dependency resolver (used by
/// the plugin loader) aborts the whole process on some malformed files (a <c>libraries.*.type</c> that is not a string
/// ends in <c>std::logic_error</c>, exit 134), so a damaged plugin would take every command down; checked here, it
/// only fails itself, with the file and key named.
/// </summary>
public static class DepsFileCheck
{
    /// <summary>Largest .deps.json read (real ones are a few KB to a few hundred KB).</summary>
    public const int MaxBytes = 16 << 20;

    private static readonly HashSet<string> AssetGroups = new(StringComparer.Ordinal)
    {
        "runtime", "native", "resources", "resourceAssemblies", "compile", "runtimeTargets",
    };

    /// <summary>Throws <see cref="InvalidDataException"/> naming the file and key when <paramref name="path"/> is malformed.</summary>
    /// <param name="path">The .deps.json file (nothing is checked when it does not exist: the loader does without).</param>
    public static void Validate(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        var length = new FileInfo(path).Length;
        if (length > MaxBytes)
        {
            throw new InvalidDataException($"{path}: {length} bytes; a .deps.json is at most {MaxBytes} bytes");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e);
        }

        using (doc)
        {
            var root = Object(path, "$", doc.RootElement);
            foreach (var top in root.EnumerateObject())
            {
                var where = "$." + top.Name;
                switch (top.Name)
                {
                    case "runtimeTarget":
                        // The native resolver reads runtimeTarget.name unconditionally when runtimeTarget is present.
                        Strings(path, where, top.Value);
                        if (!top.Value.TryGetProperty("name", out _))
                        {
                            throw new InvalidDataException($"{path}: {where}.name is missing");
                        }

                        break;
                    case "targets":
                        foreach (var target in Object(path, where, top.Value).EnumerateObject())
                        {
                            foreach (var library in Object(path, $"{where}['{target.Name}']", target.Value).EnumerateObject())
                            {
                                Library(path, $"{where}['{target.Name}']['{library.Name}']", library.Value);
                            }
                        }

                        break;
                    case "libraries":
                        foreach (var library in Object(path, where, top.Value).EnumerateObject())
                        {
                            var at = $"{where}['{library.Name}']";
                            var entry = Object(path, at, library.Value);
                            if (!entry.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
                            {
                                throw new InvalidDataException($"{path}: {at}.type must be a string");
                            }

                            LibraryFields(path, at, entry);
                        }

                        break;
                }
            }
        }
    }

    private static void Library(string path, string where, JsonElement element)
    {
        foreach (var section in Object(path, where, element).EnumerateObject())
        {
            var at = $"{where}.{section.Name}";
            if (section.Name == "dependencies")
            {
                Strings(path, at, section.Value);
            }
            else if (AssetGroups.Contains(section.Name))
            {
                foreach (var asset in Object(path, at, section.Value).EnumerateObject())
                {
                    Strings(path, $"{at}['{asset.Name}']", asset.Value);
                }
            }
            else if (section.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.True or JsonValueKind.False))
            {
                throw new InvalidDataException($"{path}: {at} must be a string or a boolean");
            }
        }
    }

    private static JsonElement Object(string path, string where, JsonElement element) =>
        element.ValueKind == JsonValueKind.Object ? element : throw new InvalidDataException($"{path}: {where} must be a JSON object, found {element.ValueKind}");

    private static void Strings(string path, string where, JsonElement element)
    {
        foreach (var p in Object(path, where, element).EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String)
            {
                throw new InvalidDataException($"{path}: {where}['{p.Name}'] must be a string, found {p.Value.ValueKind}");
            }
        }
    }

    /// <summary>A library's fields are strings (type, sha512, path, hashPath, ...), except <c>serviceable</c>, a boolean.</summary>
    private static void LibraryFields(string path, string where, JsonElement element)
    {
        foreach (var p in element.EnumerateObject())
        {
            var ok = p.Name == "serviceable"
                ? p.Value.ValueKind is JsonValueKind.True or JsonValueKind.False
                : p.Value.ValueKind == JsonValueKind.String;
            if (!ok)
            {
                throw new InvalidDataException($"{path}: {where}.{p.Name} must be {(p.Name == "serviceable" ? "a boolean" : "a string")}, found {p.Value.ValueKind}");
            }
        }
    }
}
