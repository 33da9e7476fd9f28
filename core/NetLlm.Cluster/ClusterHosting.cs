using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using StackExchange.Redis;

namespace NetLlm.Cluster;

/// <summary>Configures Orleans silos and clients from a <see cref="ClusterConfig"/>.</summary>
public static class ClusterHosting
{
    /// <summary>The grain storage that holds grid state (Redis in <see cref="ClusteringMode.Redis"/>, else memory).</summary>
    public const string StorageName = "netllm-grids";

    /// <summary>
    /// Configures a silo: membership, grid storage, endpoints, failure detection and the worker slots (the host
    /// registers its <see cref="IWorkExecutor"/> in the services).
    /// </summary>
    /// <param name="silo">The silo builder.</param>
    /// <param name="config">The configuration.</param>
    /// <param name="siloPort">Silo-to-silo port (the configuration's, or another for a second silo on one machine).</param>
    /// <param name="gatewayPort">Client gateway port.</param>
    public static void ConfigureSilo(ISiloBuilder silo, ClusterConfig config, int siloPort, int gatewayPort)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(config);
        switch (config.Clustering)
        {
            case ClusteringMode.InProcess:
                silo.UseLocalhostClustering(siloPort, gatewayPort);
                silo.AddMemoryGrainStorage(StorageName);
                break;
            case ClusteringMode.Localhost:
                silo.UseLocalhostClustering(siloPort, gatewayPort, new IPEndPoint(IPAddress.Loopback, config.PrimarySiloPort), config.ServiceId, config.ClusterId);
                silo.AddMemoryGrainStorage(StorageName);
                break;
            case ClusteringMode.Redis:
                silo.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(config.Redis));
                silo.AddRedisGrainStorage(StorageName, o => o.ConfigurationOptions = ConfigurationOptions.Parse(config.Redis));
                silo.ConfigureEndpoints(IPAddress.Parse(config.Address), siloPort, gatewayPort, listenOnAnyHostAddress: false);
                break;
        }

        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = config.ClusterId;
            o.ServiceId = config.ServiceId;
        });
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(config.ProbeTimeoutSeconds);
            o.NumMissedProbesLimit = 2;
            o.NumVotesForDeathDeclaration = 1;
        });
        silo.Services.AddSingleton(config);
        silo.Services.AddHostedService<WorkerService>();
    }

    /// <summary>Configures a client of a cluster of silo processes (not for <see cref="ClusteringMode.InProcess"/>).</summary>
    /// <param name="client">The client builder.</param>
    /// <param name="config">The configuration.</param>
    public static void ConfigureClient(IClientBuilder client, ClusterConfig config)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(config);
        switch (config.Clustering)
        {
            case ClusteringMode.Localhost:
                client.UseLocalhostClustering(config.GatewayPort, config.ServiceId, config.ClusterId);
                break;
            case ClusteringMode.Redis:
                client.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(config.Redis));
                client.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = config.ClusterId;
                    o.ServiceId = config.ServiceId;
                });
                break;
            default:
                throw new ArgumentException("an in-process cluster has no client: the submitting command hosts the silo");
        }
    }

    /// <summary>A free TCP port on the loopback interface (for an in-process silo).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
