using System.Globalization;
using System.Text.Json;

namespace NetLlm.Cluster;

/// <summary>How the silos of a cluster find each other and where the grid state is kept.</summary>
public enum ClusteringMode
{
    /// <summary>
    /// Development mode: the submitting command hosts one silo in its own process (localhost clustering, grid state in
    /// memory); no other process is involved. For a laptop and for tests.
    /// </summary>
    InProcess,

    /// <summary>
    /// Silo processes on this machine find each other through the first one (localhost clustering); grid state in
    /// memory: the grid is lost if the silo holding it ends.
    /// </summary>
    Localhost,

    /// <summary>Membership and grid state in Redis: silos on any machine; a killed silo loses nothing.</summary>
    Redis,
}

/// <summary>
/// A cluster configuration file (JSON), the same for every silo and client: how they find each other, where the
/// grid state is kept, the shared artifact folder, worker slots per silo and the lease of a work item.
/// </summary>
public sealed record ClusterConfig
{
    /// <summary>Keys a configuration file may hold.</summary>
    public static IReadOnlyList<string> Keys { get; } =
        ["clustering", "redis", "clusterId", "serviceId", "address", "siloPort", "gatewayPort", "primarySiloPort", "artifacts", "workers", "leaseSeconds", "maxAttempts", "probeTimeoutSeconds"];

    /// <summary>The file the configuration came from (named in errors), or null.</summary>
    public string? Path { get; init; }

    /// <summary>Clustering mode (<c>clustering</c>: <c>inprocess</c>, <c>localhost</c> or <c>redis</c>).</summary>
    public ClusteringMode Clustering { get; init; } = ClusteringMode.InProcess;

    /// <summary>Redis connection string (<c>redis</c>), for <see cref="ClusteringMode.Redis"/>.</summary>
    public string Redis { get; init; } = "127.0.0.1:6379";

    /// <summary>Orleans cluster id (<c>clusterId</c>): silos and clients of one cluster share it.</summary>
    public string ClusterId { get; init; } = "netllm";

    /// <summary>Orleans service id (<c>serviceId</c>): keys the durable grid state.</summary>
    public string ServiceId { get; init; } = "netllm";

    /// <summary>The address a silo advertises to the others (<c>address</c>).</summary>
    public string Address { get; init; } = "127.0.0.1";

    /// <summary>Silo-to-silo port (<c>siloPort</c>); a second silo on the same machine needs another (command line).</summary>
    public int SiloPort { get; init; } = 11111;

    /// <summary>Client gateway port (<c>gatewayPort</c>).</summary>
    public int GatewayPort { get; init; } = 30000;

    /// <summary>Silo port of the first silo (<c>primarySiloPort</c>), which the others join in localhost mode.</summary>
    public int PrimarySiloPort { get; init; } = 11111;

    /// <summary>
    /// Shared folder for artifacts (<c>artifacts</c>): run directories, pools and scratch files every silo can read
    /// and write at the same path. Relative to the configuration file.
    /// </summary>
    public string? Artifacts { get; init; }

    /// <summary>Work items a silo runs at once (<c>workers</c>); adapted runs and LLM evaluations need 1.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>
    /// Seconds a leased item stays with its worker without a heartbeat (<c>leaseSeconds</c>); a silo that dies loses
    /// its items after this long and they are run elsewhere.
    /// </summary>
    public double LeaseSeconds { get; init; } = 20;

    /// <summary>Attempts before an item is reported failed with its error (<c>maxAttempts</c>).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Orleans membership probe timeout in seconds (<c>probeTimeoutSeconds</c>): how fast a dead silo is noticed.</summary>
    public double ProbeTimeoutSeconds { get; init; } = 5;

    /// <summary>The artifact folder, full path (the configuration file's folder when none is named).</summary>
    public string ArtifactFolder => System.IO.Path.GetFullPath(Artifacts ?? ".", System.IO.Path.GetDirectoryName(Path ?? System.IO.Path.GetFullPath("x")) ?? ".");

    /// <summary>Reads a configuration file; every error names the file and the key.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="ClusterConfigException">Missing file, bad JSON, unknown key or bad value.</exception>
    public static ClusterConfig Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new ClusterConfigException(full, null, "the file does not exist");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(full), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ClusterConfigException(full, null, "not valid JSON: " + e.Message);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ClusterConfigException(full, null, "the file must hold a JSON object");
            }

            var config = new ClusterConfig { Path = full };
            foreach (var p in document.RootElement.EnumerateObject())
            {
                config = p.Name switch
                {
                    "clustering" => config with { Clustering = Mode(full, p.Value) },
                    "redis" => config with { Redis = Text(full, p) },
                    "clusterId" => config with { ClusterId = Text(full, p) },
                    "serviceId" => config with { ServiceId = Text(full, p) },
                    "address" => config with { Address = Text(full, p) },
                    "siloPort" => config with { SiloPort = (int)Number(full, p, 1, 65535) },
                    "gatewayPort" => config with { GatewayPort = (int)Number(full, p, 1, 65535) },
                    "primarySiloPort" => config with { PrimarySiloPort = (int)Number(full, p, 1, 65535) },
                    "artifacts" => config with { Artifacts = Text(full, p) },
                    "workers" => config with { Workers = (int)Number(full, p, 1, 1024) },
                    "leaseSeconds" => config with { LeaseSeconds = Number(full, p, 1, 86400) },
                    "maxAttempts" => config with { MaxAttempts = (int)Number(full, p, 1, 100) },
                    "probeTimeoutSeconds" => config with { ProbeTimeoutSeconds = Number(full, p, 0.5, 600) },
                    _ => throw new ClusterConfigException(full, p.Name, "unknown key (expected " + string.Join(", ", Keys) + ")"),
                };
            }

            return config;
        }
    }

    private static ClusteringMode Mode(string file, JsonElement value) => value.ValueKind == JsonValueKind.String
        ? value.GetString() switch
        {
            "inprocess" => ClusteringMode.InProcess,
            "localhost" => ClusteringMode.Localhost,
            "redis" => ClusteringMode.Redis,
            var other => throw new ClusterConfigException(file, "clustering", $"'{other}' is not one of inprocess, localhost, redis"),
        }
        : throw new ClusterConfigException(file, "clustering", "a string is expected: inprocess, localhost or redis");

    private static string Text(string file, JsonProperty p) =>
        p.Value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(p.Value.GetString())
            ? p.Value.GetString()!
            : throw new ClusterConfigException(file, p.Name, "a non-empty string is expected");

    private static double Number(string file, JsonProperty p, double min, double max)
    {
        if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetDouble(out var value) || value < min || value > max)
        {
            throw new ClusterConfigException(file, p.Name, string.Create(CultureInfo.InvariantCulture, $"a number from {min} to {max} is expected, got {p.Value.GetRawText()}"));
        }

        return value;
    }
}

/// <summary>A cluster configuration that cannot be used: names the file and the key.</summary>
public sealed class ClusterConfigException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="file">The configuration file.</param>
    /// <param name="key">The key, or null for the whole file.</param>
    /// <param name="problem">What is wrong.</param>
    public ClusterConfigException(string file, string? key, string problem)
        : base(key is null ? $"cluster configuration {file}: {problem}" : $"cluster configuration {file}: {key}: {problem}")
    {
    }
}
