using Microsoft.Extensions.DependencyInjection;
using NetLlm.Abstractions.Plugins;

namespace NetLlm.Hosting.Plugins;

/// <summary>Registers the composed plugins in a service collection.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers the host, its <see cref="IPluginRegistry"/> and every component (tasks, policy providers,
    /// backbone providers, encoder providers) as singletons. MEF discovers; dependency injection owns lifetimes.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="host">The loaded plugin host.</param>
    public static IServiceCollection AddNetLlmPlugins(this IServiceCollection services, PluginHost host)
    {
        services.AddSingleton(host);
        services.AddSingleton(host.Registry);
        foreach (var task in host.Registry.LegacyTasks)
        {
            services.AddSingleton(task);
        }

        foreach (var policy in host.Registry.LegacyPolicies)
        {
            services.AddSingleton(policy);
        }

        foreach (var backbone in host.Registry.Backbones)
        {
            services.AddSingleton(backbone);
        }

        foreach (var encoder in host.Registry.LegacyEncoders)
        {
            services.AddSingleton(encoder);
        }

        return services;
    }
}
