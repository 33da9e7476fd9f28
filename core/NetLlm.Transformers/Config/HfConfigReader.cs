using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace NetLlm.Transformers.Config;

/// <summary>
/// Reads Hugging Face <c>config.json</c> text into typed config classes strictly: the <c>model_type</c> must be one the
/// family loads, every key must be known (a property of the config class or a generic <see cref="PretrainedConfigKeys"/>
/// key), keys marked <see cref="HfRequiredAttribute"/> must be present, and values must have the right JSON types.
/// Every error is an <see cref="InvalidDataException"/> naming the source and the keys.
/// </summary>
public static class HfConfigReader
{
    private static readonly JsonSerializerOptions Options = new()
    {
        NumberHandling = JsonNumberHandling.Strict,
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>Reads and parses <paramref name="path"/> as a JSON object.</summary>
    /// <param name="path">Path of a config.json.</param>
    public static JsonObject ParseFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: config file not found", path);
        }

        return ParseObject(File.ReadAllText(path), path);
    }

    /// <summary>Parses <paramref name="json"/> as a JSON object; errors name <paramref name="source"/>.</summary>
    /// <param name="json">Config text.</param>
    /// <param name="source">File path or preset name for error messages.</param>
    public static JsonObject ParseObject(string json, string source)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false, AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON ({e.Message})", e);
        }

        return node as JsonObject ?? throw new InvalidDataException($"{source}: the config must be a JSON object");
    }

    /// <summary>The <c>model_type</c> string of a config object, or null when absent.</summary>
    /// <param name="config">Parsed config.</param>
    /// <param name="source">Source for error messages.</param>
    public static string? ModelType(JsonObject config, string source)
    {
        if (!config.TryGetPropertyValue("model_type", out var node) || node is null)
        {
            return null;
        }

        return node is JsonValue v && v.TryGetValue<string>(out var s)
            ? s
            : throw new InvalidDataException($"{source}: 'model_type' must be a string, got {node.ToJsonString()}");
    }

    /// <summary>
    /// The <c>model_type</c> of a model folder's config.json, or null when the folder has no config.json, the file is
    /// not a JSON object, or it has no <c>model_type</c> (for <see cref="Abstractions.Backbones.IBackboneProvider.CanLoad"/>).
    /// </summary>
    /// <param name="modelDirectory">A model folder.</param>
    public static string? ModelTypeOf(string modelDirectory)
    {
        var path = Path.Combine(modelDirectory, "config.json");
        if (!File.Exists(path) || new FileInfo(path).Length > MaxConfigBytes)
        {
            return null;
        }

        try
        {
            return ModelType(ParseFile(path), path);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>Largest config.json read when probing a folder (a config is a few kilobytes).</summary>
    public const long MaxConfigBytes = 1 << 20;

    /// <summary>Reads a stand-alone config.json text (required keys enforced).</summary>
    /// <typeparam name="T">Config class.</typeparam>
    /// <param name="json">Config text.</param>
    /// <param name="source">File path or preset name for error messages.</param>
    /// <param name="modelTypes">Accepted <c>model_type</c> values.</param>
    public static T Read<T>(string json, string source, IReadOnlyCollection<string> modelTypes)
        where T : class, IHfConfig
        => Read<T>(ParseObject(json, source), source, modelTypes, requireKeys: true);

    /// <summary>
    /// Reads a parsed config object. With <paramref name="requireKeys"/> false (a nested config such as LLaVa's
    /// <c>text_config</c>, which Hugging Face writes as a diff against the defaults) absent keys take their defaults,
    /// but unknown keys are still errors.
    /// </summary>
    /// <typeparam name="T">Config class.</typeparam>
    /// <param name="config">Parsed config.</param>
    /// <param name="source">Source for error messages.</param>
    /// <param name="modelTypes">Accepted <c>model_type</c> values.</param>
    /// <param name="requireKeys">Enforce <see cref="HfRequiredAttribute"/> keys (and <c>model_type</c>).</param>
    public static T Read<T>(JsonObject config, string source, IReadOnlyCollection<string> modelTypes, bool requireKeys)
        where T : class, IHfConfig
    {
        ArgumentNullException.ThrowIfNull(config);
        var modelType = ModelType(config, source);
        if (modelType is null)
        {
            if (requireKeys)
            {
                throw new InvalidDataException($"{source}: missing key 'model_type' (expected one of: {string.Join(", ", modelTypes)})");
            }
        }
        else if (!modelTypes.Contains(modelType, StringComparer.Ordinal))
        {
            throw new InvalidDataException($"{source}: unknown model_type '{modelType}' for this family (it loads: {string.Join(", ", modelTypes)})");
        }

        foreach (var (key, reason) in PretrainedConfigKeys.Unsupported)
        {
            if (config.ContainsKey(key))
            {
                throw new InvalidDataException($"{source}: key '{key}': {reason}");
            }
        }

        var known = KnownKeys(typeof(T));
        var unknown = config.Select(p => p.Key)
            .Where(k => !known.Contains(k) && !PretrainedConfigKeys.Generic.Contains(k))
            .Order(StringComparer.Ordinal)
            .ToList();
        var missing = requireKeys
            ? RequiredKeys(typeof(T)).Where(k => !config.ContainsKey(k)).Order(StringComparer.Ordinal).ToList()
            : [];
        if (unknown.Count > 0 || missing.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0)
            {
                parts.Add($"missing required key(s): {string.Join(", ", missing)}");
            }

            if (unknown.Count > 0)
            {
                parts.Add($"unknown key(s) for {typeof(T).Name}: {string.Join(", ", unknown)}");
            }

            throw new InvalidDataException($"{source}: {string.Join("; ", parts)}");
        }

        T? result;
        try
        {
            result = config.Deserialize<T>(Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: key '{e.Path?.TrimStart('$', '.')}' has a value of the wrong type ({e.Message})", e);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }

        if (result is null)
        {
            throw new InvalidDataException($"{source}: the config is null");
        }

        CheckLimits(config, source);
        result.Validate(source);
        return result;
    }

    /// <summary>
    /// Upper bounds on the sizes a config may declare, checked before anything is allocated: far above every
    /// released model (Llama-2-70B: hidden 8192, 80 layers, vocabulary 32,000; the largest vocabularies are about
    /// 256,000), so only a damaged or hostile config trips them, with the key named instead of an allocation that
    /// exhausts memory or never ends.
    /// </summary>
    private static readonly (string[] Keys, long Max)[] SizeLimits =
    [
        (["hidden_size", "n_embd", "word_embed_proj_dim"], 65_536),
        (["num_hidden_layers", "n_layer"], 1_024),
        (["num_attention_heads", "num_key_value_heads", "n_head"], 4_096),
        (["intermediate_size", "ffn_dim", "n_inner"], 1_048_576),
        (["vocab_size"], 4_194_304),
        (["max_position_embeddings", "n_positions", "n_ctx", "sliding_window"], 16_777_216),
    ];

    private static void CheckLimits(JsonObject config, string source)
    {
        foreach (var (keys, max) in SizeLimits)
        {
            foreach (var key in keys)
            {
                if (config[key] is JsonValue value && value.TryGetValue<double>(out var number) && number > max)
                {
                    throw new InvalidDataException($"{source}: key '{key}': {number.ToString(System.Globalization.CultureInfo.InvariantCulture)} is larger than any model this loader accepts (at most {max.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)})");
                }
            }
        }

        foreach (var (key, node) in config)
        {
            if (node is JsonValue value && value.TryGetValue<double>(out var number) && (double.IsNaN(number) || double.IsInfinity(number) || Math.Abs(number) > 1e15))
            {
                throw new InvalidDataException($"{source}: key '{key}': {node.ToJsonString()} is not a usable number");
            }
        }
    }

    /// <summary>The JSON keys a config class reads (its <see cref="JsonPropertyNameAttribute"/> names).</summary>
    /// <param name="type">Config class.</param>
    public static IReadOnlySet<string> KnownKeys(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The keys marked <see cref="HfRequiredAttribute"/>.</summary>
    /// <param name="type">Config class.</param>
    public static IReadOnlyList<string> RequiredKeys(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<HfRequiredAttribute>() is not null)
            .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? p.Name)
            .ToList();
    }

    /// <summary>Throws an <see cref="InvalidDataException"/> naming <paramref name="source"/> unless <paramref name="condition"/> holds.</summary>
    /// <param name="condition">The check.</param>
    /// <param name="source">Config source.</param>
    /// <param name="message">What is wrong (name the keys).</param>
    public static void Require(bool condition, string source, string message)
    {
        if (!condition)
        {
            throw new InvalidDataException($"{source}: {message}");
        }
    }
}
