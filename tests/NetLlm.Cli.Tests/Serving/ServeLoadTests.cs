using System.Net;
using NetLlm.Cli.Serving;
using NetLlm.Core.Serving;

namespace NetLlm.Cli.Tests.Serving;

/// <summary>
/// N concurrent playbacks (8 sessions, each a whole 48-chunk episode) against BBA and against a tiny adapted run that
/// all sessions share: every decision succeeds and equals the sequential ones; afterwards every session and decision
/// context is gone. No timing is asserted (tools/serve-load.sh measures latency).
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ServeLoadTests(ServeFixture fixture) : IClassFixture<ServeFixture>
{
    private const int Sessions = 8;

    [Theory]
    [InlineData("abr.bba")]
    [InlineData("tiny")]
    public async Task ConcurrentSessions_AllSucceed_AndEqualTheSequentialDecisions(string which)
    {
        var policy = which == "tiny" ? fixture.TinyRun : which;
        var episode = fixture.Simulate(policy);
        using var server = fixture.CreateServer(policy, maxSessions: Sessions);
        await using var host = await ServeHost.StartAsync(server, 0);
        using var http = new HttpClient { BaseAddress = host.Url };
        var client = new ServeClient(http);

        var sequential = await PlayAndClose(client, "sequential", episode);
        var concurrent = await Task.WhenAll(Enumerable.Range(0, Sessions).Select(i => Task.Run(() => PlayAndClose(client, "load-" + i, episode))));

        Assert.Equal(episode.Decisions, sequential.Take(47));
        Assert.All(concurrent, played => Assert.Equal(sequential, played));
        var metrics = server.Metrics();
        Assert.Equal(0, metrics.SessionsOpen);
        Assert.Equal(Sessions + 1, metrics.SessionsTotal);
        Assert.Equal((Sessions + 1) * 48, metrics.Decisions);
        Assert.Equal((Sessions + 1) * 48, metrics.Latency.Count);
        Assert.True(metrics.Latency.P50 <= metrics.Latency.P99 && metrics.Latency.P99 <= metrics.Latency.Max);
        Assert.Equal(which == "tiny" ? 0 : null, metrics.ContextsOpen);
        await host.StopAsync();
    }

    private static async Task<List<int>> PlayAndClose(ServeClient client, string label, SimulatedEpisode episode)
    {
        var session = await client.OpenAsync(label);
        var played = await client.PlayAsync(session, episode.Requests);
        var (status, _) = await client.SendAsync(HttpMethod.Delete, "/v1/sessions/" + session);
        Assert.Equal(HttpStatusCode.NoContent, status);
        return played;
    }
}
