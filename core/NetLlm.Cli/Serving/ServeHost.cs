using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NetLlm.Core.Serving;

namespace NetLlm.Cli.Serving;

/// <summary>
/// Kestrel on 127.0.0.1 serving an <see cref="IPolicyServer"/> (the routes are <see cref="ServeRoutes"/>). Signals are
/// the command's business (<c>netllm serve</c> stops on its cancellation token), so the host installs no console
/// lifetime; <see cref="StopAsync"/> stops accepting connections and waits for the requests in flight.
/// </summary>
public sealed class ServeHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServeHost(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>Largest request body accepted (larger ones get HTTP 413).</summary>
    public const long MaxBodyBytes = 1 << 20;

    /// <summary>The base URL, <c>http://127.0.0.1:PORT</c>.</summary>
    public Uri Url { get; }

    /// <summary>Starts listening.</summary>
    /// <param name="server">The policy server (borrowed: the caller disposes it after <see cref="StopAsync"/>).</param>
    /// <param name="port">TCP port, 0 for a free one.</param>
    /// <param name="cancellation">Cancels the start.</param>
    public static async Task<ServeHost> StartAsync(IPolicyServer server, int port, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, port);
            o.Limits.MaxRequestBodySize = MaxBodyBytes;
        });
        var app = builder.Build();
        ServeRoutes.Map(app, server);
        try
        {
            await app.StartAsync(cancellation).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no address");
        return new ServeHost(app, new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal)));
    }

    /// <summary>Stops accepting connections and waits (up to 10 s) for the requests in flight.</summary>
    public Task StopAsync() => _app.StopAsync();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>No console lifetime: the command decides when to stop.</summary>
    private sealed class CommandLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
