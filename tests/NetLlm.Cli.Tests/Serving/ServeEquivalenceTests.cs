using NetLlm.Cli.Serving;
using NetLlm.Core.Serving;

namespace NetLlm.Cli.Tests.Serving;

/// <summary>
/// The server answers a player exactly as the policy acts inside <c>netllm test</c>: a simulator episode (its chunk
/// outcomes from the result file) is replayed through the HTTP API and every decision is compared, for BBA, RobustMPC
/// and a tiny adapted run (sampling with the same seed, KV cache sliding past the 20-step window).
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ServeEquivalenceTests(ServeFixture fixture) : IClassFixture<ServeFixture>
{
    [Theory]
    [InlineData("abr.bba")]
    [InlineData("abr.mpc")]
    public async Task Baseline_ServedDecisions_EqualTheDecisionsOfNetllmTest(string policy)
    {
        var episode = fixture.Simulate(policy);
        var served = await PlayOnce(policy, episode);
        Assert.Equal(episode.Decisions, served.Take(47));
    }

    [Fact]
    public async Task AdaptedRun_ServedDecisions_EqualTheDecisionsOfNetllmTest()
    {
        var run = fixture.TinyRun;
        var episode = fixture.Simulate(run);
        var served = await PlayOnce(run, episode);
        Assert.Equal(episode.Decisions, served.Take(47));

        // Not a constant policy: the comparison covers several levels.
        Assert.True(episode.Decisions.Distinct().Count() > 1, "the tiny run chose one level only: " + string.Join(",", episode.Decisions));
    }

    private async Task<List<int>> PlayOnce(string policy, SimulatedEpisode episode)
    {
        using var server = fixture.CreateServer(policy);
        await using var host = await ServeHost.StartAsync(server, 0);
        using var http = new HttpClient { BaseAddress = host.Url };
        var client = new ServeClient(http);
        var session = await client.OpenAsync("equivalence");
        var served = await client.PlayAsync(session, episode.Requests);
        Assert.Equal(48, served.Count);
        await host.StopAsync();
        return served;
    }
}
