using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NetLlm.Cluster;
using NetLlm.Hosting.Plugins;

namespace NetLlm.Cli.Cluster;

/// <summary>Builds the Orleans hosts of <c>netllm</c>: a silo that runs work items over the loaded plugins, or a client.</summary>
public static class ClusterHost
{
    /// <summary>A silo host (not started) whose workers run items through <see cref="CliWorkExecutor"/>.</summary>
    /// <param name="plugins">Loaded plugins.</param>
    /// <param name="loggers">Logger factory for the items' commands.</param>
    /// <param name="config">The cluster configuration.</param>
    /// <param name="siloPort">Silo port.</param>
    /// <param name="gatewayPort">Gateway port.</param>
    public static IHost Silo(PluginHost plugins, ILoggerFactory loggers, ClusterConfig config, int siloPort, int gatewayPort)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        Logging(builder);
        builder.Services.AddSingleton<IWorkExecutor>(new CliWorkExecutor(plugins, loggers, config));
        builder.UseOrleans(silo => ClusterHosting.ConfigureSilo(silo, config, siloPort, gatewayPort));
        return builder.Build();
    }

    /// <summary>A client host (not started) of a cluster of silo processes.</summary>
    /// <param name="config">The cluster configuration.</param>
    public static IHost Client(ClusterConfig config)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        Logging(builder);
        builder.UseOrleansClient(client => ClusterHosting.ConfigureClient(client, config));
        return builder.Build();
    }

    /// <summary>Orleans' own logging: warnings and errors on standard error (NETLLM_DEBUG=1: everything).</summary>
    private static void Logging(HostApplicationBuilder builder)
    {
        var debug = Environment.GetEnvironmentVariable("NETLLM_DEBUG") == "1";
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(debug ? LogLevel.Debug : LogLevel.Warning);
        builder.Logging.AddFilter("NetLlm.Cluster", debug ? LogLevel.Debug : LogLevel.Information);
    }
}
