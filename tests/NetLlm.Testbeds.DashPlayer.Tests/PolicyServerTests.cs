using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NetLlm.Baselines.Bba;
using NetLlm.Testbeds.DashPlayer.Serving;

namespace NetLlm.Testbeds.DashPlayer.Tests;

/// <summary>The in-process stand-in of the policy server API v1 (the stub the player tests run against).</summary>
public class PolicyServerTests
{
    private static object State(double buffer, int remaining = 40) => new
    {
        chunk_index = 47 - remaining, quality = 1, chunk_bytes = 400_000, download_ms = 900.0, buffer_s = buffer, rebuffer_s = 0.0,
        next_chunk_bytes = new[] { 150_000, 380_000, 600_000, 930_000, 1_460_000, 2_190_000 }, chunks_remaining = remaining,
    };

    [Fact]
    public async Task SessionsDecideWithBbaAndCloseCleanly()
    {
        await using var server = new StatePolicyServer("abr.bba", () => new BbaPolicy());
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var health = JsonNode.Parse(await http.GetStringAsync(new Uri("v1/health", UriKind.Relative)))!;
        Assert.Equal("ok", (string?)health["status"]);
        Assert.Equal("abr.bba", (string?)health["policy"]);

        using var created = await http.PostAsJsonAsync("v1/sessions", new { label = "t" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var session = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["session"]!;

        // BBA: reservoir 5 s, cushion 10 s: buffer 12 s -> floor(5 * 7 / 10) = 3; 3 s -> 0; 20 s -> 5.
        foreach (var (buffer, expected) in new[] { (12.0, 3), (3.0, 0), (20.0, 5) })
        {
            using var answer = await http.PostAsJsonAsync($"v1/sessions/{session}/decisions", State(buffer));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            var body = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
            Assert.Equal(expected, (int)body["action"]!["quality"]!);
            Assert.Equal(new[] { 300, 750, 1200, 1850, 2850, 4300 }[expected], (int)body["action"]!["bitrate_kbps"]!);
            Assert.True((double)body["decision_ms"]! >= 0);
        }

        var metrics = JsonNode.Parse(await http.GetStringAsync(new Uri("v1/metrics", UriKind.Relative)))!;
        Assert.Equal(3, (int)metrics["decisions"]!);
        Assert.Equal(1, (int)metrics["sessions_open"]!);
        using var deleted = await http.DeleteAsync(new Uri($"v1/sessions/{session}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(0, server.OpenSessions);
        using var gone = await http.DeleteAsync(new Uri($"v1/sessions/{session}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task ABadStateIsA400NamingTheField()
    {
        await using var server = new StatePolicyServer("abr.bba", () => new BbaPolicy());
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var created = await http.PostAsJsonAsync("v1/sessions", new { });
        var session = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["session"]!;
        using var missing = await http.PostAsJsonAsync($"v1/sessions/{session}/decisions", new { chunk_index = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("quality", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var range = await http.PostAsJsonAsync($"v1/sessions/{session}/decisions", new
        {
            chunk_index = 0, quality = 9, chunk_bytes = 1, download_ms = 1.0, buffer_s = 1.0, rebuffer_s = 0.0,
            next_chunk_bytes = new[] { 1, 1, 1, 1, 1, 1 }, chunks_remaining = 47,
        });
        Assert.Contains("quality: 9", await range.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var unknown = await http.PostAsJsonAsync("v1/sessions/nope/decisions", State(10));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
