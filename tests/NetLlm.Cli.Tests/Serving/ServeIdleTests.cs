using System.Net;
using NetLlm.Cli.Serving;

namespace NetLlm.Cli.Tests.Serving;

/// <summary>
/// Sessions that no request uses for the idle timeout are closed and their decision context (KV cache) freed; a used
/// session stays; the metrics count them; a later request to an expired session is a 404 that says why.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ServeIdleTests(ServeFixture fixture) : IClassFixture<ServeFixture>
{
    [Fact]
    public async Task AdaptedRun_IdleSessions_AreClosed_AndTheirContextsFreed()
    {
        var clock = new ManualClock();
        using var server = fixture.CreateServer(fixture.TinyRun, 4, TimeSpan.FromMinutes(10), clock);
        await using var host = await ServeHost.StartAsync(server, 0);
        using var http = new HttpClient { BaseAddress = host.Url };
        var client = new ServeClient(http);
        var used = await client.OpenAsync();
        var idle = await client.OpenAsync();
        Assert.Equal(2, server.Metrics().ContextsOpen);

        clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(0, server.ExpireIdle());
        _ = await client.PlayAsync(used, [ServeApiTests.Valid]);

        // 12 minutes after opening: the idle session is past 10 minutes, the used one was used 6 minutes ago.
        clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(1, server.ExpireIdle());
        Assert.Equal(1, server.Metrics().SessionsOpen);
        Assert.Equal(1, server.Metrics().ContextsOpen);
        Assert.Equal(1, server.Metrics().SessionsExpired);
        var (status, reply) = await client.SendAsync(HttpMethod.Post, $"/v1/sessions/{idle}/decisions", ServeApiTests.Valid);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("closed after being idle", reply!["error"]!.GetValue<string>(), StringComparison.Ordinal);

        var (_, metrics) = await client.SendAsync(HttpMethod.Get, "/v1/metrics");
        Assert.Equal(1, metrics!["sessions_expired"]!.GetValue<long>());
        Assert.Equal(600.0, metrics["session_idle_s"]!.GetValue<double>());

        clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(1, server.ExpireIdle());
        Assert.Equal(0, server.Metrics().ContextsOpen);
        await host.StopAsync();
    }

    [Fact]
    public void WithoutATimeout_NothingExpires()
    {
        var clock = new ManualClock();
        using var server = fixture.CreateServer("abr.bba", 2, null, clock);
        _ = server.Open("left open");
        clock.Advance(TimeSpan.FromDays(30));
        Assert.Null(server.IdleTimeout);
        Assert.Equal(0, server.ExpireIdle());
        Assert.Equal(1, server.Metrics().SessionsOpen);
    }

    /// <summary>A clock the test moves (timers it creates never fire: the test calls ExpireIdle itself).</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new NeverFires();

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

        private sealed class NeverFires : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
