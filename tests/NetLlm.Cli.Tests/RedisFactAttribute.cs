namespace NetLlm.Cli.Tests;

/// <summary>
/// A test that needs Debian's <c>redis-server</c> (the store of a cluster with silo processes): skipped, naming the
/// install command, when it is not on the PATH.
/// </summary>
public sealed class RedisFactAttribute : FactAttribute
{
    /// <summary>The skip reason when redis-server is missing.</summary>
    public const string MissingReason = "needs redis-server: run `bash tools/cluster/install.sh` (apt-get install redis-server; see docs/cluster.md)";

    public RedisFactAttribute()
    {
        if (RedisServer.Executable is null)
        {
            Skip = MissingReason;
        }
    }
}
