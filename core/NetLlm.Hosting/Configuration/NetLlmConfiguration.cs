using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace NetLlm.Hosting.Configuration;

/// <summary>
/// Loads <see cref="NetLlmOptions"/>: the JSON file (<c>--config</c>, else <c>NETLLM_CONFIG</c>, else
/// <c>netllm.json</c> in the working directory when present), then the environment variable
/// <c>NETLLM_DATA_ROOT</c>, then command-line overrides. A malformed file names the line; an unknown key or a bad
/// value names the key and the accepted values.
/// </summary>
public static class NetLlmConfiguration
{
    /// <summary>Default file name looked for in the working directory.</summary>
    public const string DefaultFileName = "netllm.json";

    private static readonly string[] KnownKeys = ["dataRoot", "pluginsDir", "seed", "threads", "progress", "tasks"];

    /// <summary>The configuration file in effect, or null when there is none.</summary>
    /// <param name="explicitPath">Path given with <c>--config</c>, or null.</param>
    public static string? ResolvePath(string? explicitPath)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return Path.GetFullPath(explicitPath);
        }

        var env = Environment.GetEnvironmentVariable("NETLLM_CONFIG");
        if (!string.IsNullOrEmpty(env))
        {
            return Path.GetFullPath(env);
        }

        var local = Path.GetFullPath(DefaultFileName);
        return File.Exists(local) ? local : null;
    }

    /// <summary>Loads and validates the options.</summary>
    /// <param name="path">Configuration file, or null for none.</param>
    /// <param name="overrides">Command-line values by key (<c>dataRoot</c>, <c>seed</c>, ...); nulls are ignored.</param>
    /// <param name="environment">Reads an environment variable; null reads the process environment.</param>
    public static NetLlmOptions Load(
        string? path,
        IReadOnlyDictionary<string, string?>? overrides = null,
        Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var builder = new ConfigurationBuilder();
        if (path is not null)
        {
            if (!File.Exists(path))
            {
                throw new ConfigurationException($"{path}: configuration file not found");
            }

            Validate(path, File.ReadAllText(path));
            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
        }

        var memory = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var envData = environment("NETLLM_DATA_ROOT");
        if (!string.IsNullOrEmpty(envData))
        {
            memory["dataRoot"] = envData;
        }

        if (overrides is not null)
        {
            foreach (var (k, v) in overrides)
            {
                if (v is not null)
                {
                    memory[k] = v;
                }
            }
        }

        builder.AddInMemoryCollection(memory);
        IConfigurationRoot configuration;
        try
        {
            configuration = builder.Build();
        }
        catch (InvalidDataException e)
        {
            // For example a duplicate key: Microsoft.Extensions.Configuration wraps the parser's FormatException.
            throw new ConfigurationException($"{path ?? "configuration"}: {e.InnerException?.Message ?? e.Message}", e);
        }
        var options = new NetLlmOptions();
        try
        {
            configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            throw new ConfigurationException($"{path ?? "configuration"}: {e.Message}", e);
        }

        Check(options, path ?? "command line");
        return options;
    }

    private static void Validate(string path, string text)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            throw new ConfigurationException($"{path} line {line}: malformed JSON ({FirstSentence(e.Message)})", e);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigurationException($"{path}: the configuration must be a JSON object");
            }

            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (!KnownKeys.Contains(prop.Name, StringComparer.OrdinalIgnoreCase))
                {
                    throw new ConfigurationException($"{path}: unknown key '{prop.Name}'; accepted keys: {string.Join(", ", KnownKeys)}");
                }

                switch (prop.Name.ToLowerInvariant())
                {
                    case "seed":
                    case "threads":
                        if (prop.Value.ValueKind != JsonValueKind.Number || !prop.Value.TryGetInt32(out _))
                        {
                            throw new ConfigurationException($"{path}: key '{prop.Name}': {prop.Value.GetRawText()} is not an integer");
                        }

                        break;
                    case "tasks":
                        if (prop.Value.ValueKind != JsonValueKind.Object || prop.Value.EnumerateObject().Any(t => t.Value.ValueKind != JsonValueKind.Object))
                        {
                            throw new ConfigurationException($"{path}: key 'tasks' must map task ids to objects of option values, for example {{\"<task id>\": {{\"<option>\": \"...\"}}}}");
                        }

                        break;
                    default:
                        if (prop.Value.ValueKind != JsonValueKind.String)
                        {
                            throw new ConfigurationException($"{path}: key '{prop.Name}': {prop.Value.GetRawText()} is not a string");
                        }

                        break;
                }
            }
        }
    }

    private static void Check(NetLlmOptions options, string source)
    {
        if (!NetLlmOptions.ProgressModes.Contains(options.Progress, StringComparer.Ordinal))
        {
            throw new ConfigurationException($"{source}: key 'progress': '{options.Progress}' is not one of {string.Join(", ", NetLlmOptions.ProgressModes)}");
        }

        // More intra-op threads than cores only makes libtorch spin (1,024 on 2 cores ran for minutes): refuse it up front.
        if (options.Threads < 0 || options.Threads > NetLlmOptions.MaxThreads)
        {
            throw new ConfigurationException(
                $"{source}: key 'threads': {options.Threads.ToString(CultureInfo.InvariantCulture)} must be between 0 (libtorch default) and {NetLlmOptions.MaxThreads.ToString(CultureInfo.InvariantCulture)}, the cores available to this process");
        }
    }

    private static string FirstSentence(string message)
    {
        var i = message.IndexOf(". ", StringComparison.Ordinal);
        return i > 0 ? message[..i] : message;
    }
}
