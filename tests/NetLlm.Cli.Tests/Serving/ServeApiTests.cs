using System.Net;
using NetLlm.Cli.Serving;
using NetLlm.Core.Serving;

namespace NetLlm.Cli.Tests.Serving;

/// <summary>The HTTP API's answers: health and metrics shapes, 400 naming the field, 404, 429, and freed sessions.</summary>
[Collection(CliCollection.Name)]
public sealed class ServeApiTests(ServeFixture fixture) : IClassFixture<ServeFixture>
{
    /// <summary>A valid first report (chunk 0).</summary>
    internal const string Valid = """{"chunk_index":0,"quality":1,"chunk_bytes":400000,"download_ms":850.5,"buffer_s":10.0,"rebuffer_s":0.0,"next_chunk_bytes":[150000,380000,600000,930000,1430000,2150000],"chunks_remaining":47}""";

    [Theory]
    [InlineData("{bad", "body: is not valid JSON")]
    [InlineData("", "body: is empty")]
    [InlineData("[1,2]", "body: expected a JSON object")]
    [InlineData("""{"quality":1}""", "chunk_index: is missing")]
    [InlineData("""{"chunk_index":"0"}""", "chunk_index: expected an integer, got a string")]
    [InlineData("""{"chunk_index":48}""", "chunk_index: is 48, outside 0..47")]
    [InlineData("""{"chunk_index":0,"quality":6}""", "quality: is 6, outside 0..5")]
    [InlineData("""{"chunk_index":0,"quality":1,"chunk_bytes":1.5}""", "chunk_bytes: expected an integer")]
    [InlineData("""{"chunk_index":0,"quality":1,"chunk_bytes":10,"download_ms":0}""", "download_ms: is 0, but must be above 0")]
    [InlineData("""{"chunk_index":0,"quality":1,"chunk_bytes":10,"download_ms":5,"buffer_s":-1}""", "buffer_s: is -1, but must be 0 or more")]
    [InlineData("""{"chunk_index":0,"quality":1,"chunk_bytes":10,"download_ms":5,"buffer_s":1,"rebuffer_s":null}""", "rebuffer_s: is missing")]
    [InlineData("""{"chunk_index":0,"quality":1,"chunk_bytes":10,"download_ms":5,"buffer_s":1,"rebuffer_s":0,"next_chunk_bytes":[1,2,3]}""", "next_chunk_bytes: expected an array of 6 integers")]
    [InlineData("""{"chunk_index":0,"quality":1,"chunk_bytes":10,"download_ms":5,"buffer_s":1,"rebuffer_s":0,"next_chunk_bytes":[1,2,3,4,-5,6]}""", "next_chunk_bytes[4]: expected an integer")]
    [InlineData("""{"chunk_index":0,"quality":1,"chunk_bytes":10,"download_ms":5,"buffer_s":1,"rebuffer_s":0,"next_chunk_bytes":[1,2,3,4,5,6],"chunks_remaining":3}""", "chunks_remaining: is 3, but after chunk 0 of 48 there are 47 left")]
    [InlineData("""{"chunk_index":1,"quality":1,"chunk_bytes":10,"download_ms":5,"buffer_s":1,"rebuffer_s":0,"next_chunk_bytes":[1,2,3,4,5,6],"chunks_remaining":46}""", "chunk_index: is 1, but this session expects chunk 0 next")]
    public async Task BadRequest_Is400_NamingTheField_AndLeavesTheSessionUsable(string body, string expected)
    {
        await WithServer("abr.bba", 4, async (client, unused) =>
        {
            var session = await client.OpenAsync();
            var (status, reply) = await client.SendAsync(HttpMethod.Post, $"/v1/sessions/{session}/decisions", body);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.StartsWith(expected, reply!["error"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal([2], await client.PlayAsync(session, [Valid]));
        });
    }

    [Fact]
    public async Task HealthSessionsMetrics_HaveTheAgreedShapes_And404sAnd429()
    {
        await WithServer("abr.bba", 2, async (client, server) =>
        {
            var (status, health) = await client.SendAsync(HttpMethod.Get, "/v1/health");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("ok", health!["status"]!.GetValue<string>());
            Assert.Equal("abr", health["task"]!.GetValue<string>());
            Assert.Equal("abr.bba", health["policy"]!.GetValue<string>());

            var (created, opened) = await client.SendAsync(HttpMethod.Post, "/v1/sessions", null);
            Assert.Equal(HttpStatusCode.Created, created);
            var first = opened!["session"]!.GetValue<string>();
            var second = await client.OpenAsync("trace-3");
            var (full, refused) = await client.SendAsync(HttpMethod.Post, "/v1/sessions", "{}");
            Assert.Equal(HttpStatusCode.TooManyRequests, full);
            Assert.Contains("2 sessions are open", refused!["error"]!.GetValue<string>(), StringComparison.Ordinal);
            var (badLabel, labelError) = await client.SendAsync(HttpMethod.Post, "/v1/sessions", """{"label": 3}""");
            Assert.Equal(HttpStatusCode.BadRequest, badLabel);
            Assert.StartsWith("label:", labelError!["error"]!.GetValue<string>(), StringComparison.Ordinal);

            Assert.Equal([2], await client.PlayAsync(first, [Valid]));
            var (_, metrics) = await client.SendAsync(HttpMethod.Get, "/v1/metrics");
            Assert.Equal(2, metrics!["sessions_open"]!.GetValue<int>());
            Assert.Equal(2, metrics["sessions_total"]!.GetValue<long>());
            Assert.Equal(1, metrics["decisions"]!.GetValue<long>());
            foreach (var key in new[] { "p50", "p90", "p99", "max" })
            {
                Assert.True(metrics["decision_ms"]![key]!.GetValue<double>() >= 0, key);
            }

            Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(HttpMethod.Delete, "/v1/sessions/" + first)).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Delete, "/v1/sessions/" + first)).Status);
            var (gone, goneError) = await client.SendAsync(HttpMethod.Post, $"/v1/sessions/{first}/decisions", Valid);
            Assert.Equal(HttpStatusCode.NotFound, gone);
            Assert.Contains("unknown session", goneError!["error"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Get, "/v2/nothing")).Status);
            Assert.Equal(1, server.Metrics().SessionsOpen);
            _ = await client.OpenAsync();
            Assert.Equal(2, server.Metrics().SessionsOpen);
            _ = second;
        });
    }

    [Theory]
    [InlineData("cjs", "cjs.fair", "task 'cjs' cannot be served: its plugin does not implement IServableTask")]
    [InlineData("vp", "vp.lr", "task 'vp' is a prediction task; only decision tasks are served")]
    [InlineData("abr", "abr.nothing", "unknown policy 'abr.nothing'")]
    public void Serve_WhatCannotBeServed_IsAUsageError(string task, string policy, string expected)
    {
        string[] args = ["serve", "--task", task, "--policy", policy];
        var (exit, _, error) = fixture.Cli.Run(task == "abr" ? [.. args, "--video", ServeFixture.Video] : args);
        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizedBody_Is413_WithAMessage()
    {
        await WithServer("abr.bba", 1, async (client, unused) =>
        {
            var session = await client.OpenAsync();
            var huge = "{\"pad\":\"" + new string('x', (int)ServeHost.MaxBodyBytes) + "\"}";
            var (status, reply) = await client.SendAsync(HttpMethod.Post, $"/v1/sessions/{session}/decisions", huge, expectContinue: true);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
            Assert.False(string.IsNullOrEmpty(reply!["error"]!.GetValue<string>()));
        });
    }

    [Fact]
    public async Task EndedVideo_RefusesAFurtherReport_NamingChunkIndex()
    {
        var episode = fixture.Simulate("abr.bba");
        await WithServer("abr.bba", 1, async (client, unused) =>
        {
            var session = await client.OpenAsync();
            _ = await client.PlayAsync(session, episode.Requests);
            var (status, reply) = await client.SendAsync(HttpMethod.Post, $"/v1/sessions/{session}/decisions", episode.Requests[^1]);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("this session's video ended", reply!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task AdaptedRun_DeletedSession_DisposesItsDecisionContext_AndStoppingFreesEverySession()
    {
        var server = fixture.CreateServer(fixture.TinyRun, 4);
        try
        {
            await using var host = await ServeHost.StartAsync(server, 0);
            using var http = new HttpClient { BaseAddress = host.Url };
            var client = new ServeClient(http);
            var a = await client.OpenAsync();
            var b = await client.OpenAsync();
            Assert.Equal(2, server.Metrics().ContextsOpen);
            _ = await client.PlayAsync(a, [Valid]);
            var (_, metrics) = await client.SendAsync(HttpMethod.Get, "/v1/metrics");
            Assert.Equal(2, metrics!["contexts_open"]!.GetValue<int>());
            Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(HttpMethod.Delete, "/v1/sessions/" + a)).Status);
            Assert.Equal(1, server.Metrics().ContextsOpen);
            Assert.Equal(1, server.Metrics().SessionsOpen);
            await host.StopAsync();
            _ = b;
        }
        finally
        {
            server.Dispose();
        }

        // Disposing closed the remaining session (and its context) and refuses new ones.
        Assert.Equal(0, server.Metrics().SessionsOpen);
        Assert.Equal(0, server.Metrics().ContextsOpen);
        Assert.Throws<SessionLimitException>(() => server.Open(null));
    }

    private async Task WithServer(string policy, int maxSessions, Func<ServeClient, IPolicyServer, Task> body)
    {
        using var server = fixture.CreateServer(policy, maxSessions);
        await using var host = await ServeHost.StartAsync(server, 0);
        using var http = new HttpClient { BaseAddress = host.Url };
        await body(new ServeClient(http), server);
        await host.StopAsync();
    }
}
