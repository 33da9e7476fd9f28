using NetLlm.Testing;

namespace NetLlm.Cli.Tests;

/// <summary>
/// A test that needs Debian's <c>redis-server</c> (the store of a cluster with silo processes): skipped, naming the
/// install command, when it is not on the PATH; and, when given datasets of the data root (<c>cjs</c>), skipped as a
/// <c>[DataFact]</c> is when they are missing.
/// </summary>
public sealed class RedisFactAttribute : FactAttribute
{
    /// <summary>The skip reason when redis-server is missing.</summary>
    public const string MissingReason = "needs redis-server: run `bash tools/cluster/install.sh` (apt-get install redis-server; see docs/cluster.md)";

    /// <summary>Skips the test without redis-server or without the data root's <paramref name="data"/>.</summary>
    /// <param name="data">Paths relative to the data root the test needs besides redis-server (none: no data).</param>
    public RedisFactAttribute(params string[] data)
    {
        if (RedisServer.Executable is null)
        {
            Skip = MissingReason;
        }
        else if (data.Length > 0)
        {
            Skip = TestPaths.MissingDataReason(data);
        }
    }
}
