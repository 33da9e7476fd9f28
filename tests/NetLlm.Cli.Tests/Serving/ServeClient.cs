using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace NetLlm.Cli.Tests.Serving;

/// <summary>A thin client of the serving API for tests: status code and parsed JSON of every call.</summary>
/// <param name="http">The client (its base address is the server's URL).</param>
public sealed class ServeClient(HttpClient http)
{
    /// <summary>POST /v1/sessions.</summary>
    public async Task<string> OpenAsync(string? label = null)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/v1/sessions", label is null ? "{}" : new JsonObject { ["label"] = label }.ToJsonString());
        Assert.True(status == HttpStatusCode.Created, $"open: {status} {body}");
        return body!["session"]!.GetValue<string>();
    }

    /// <summary>Posts every request of an episode in order; returns the chosen qualities.</summary>
    /// <param name="session">The session.</param>
    /// <param name="requests">Request bodies.</param>
    public async Task<List<int>> PlayAsync(string session, IEnumerable<string> requests)
    {
        var chosen = new List<int>();
        var step = 0;
        foreach (var request in requests)
        {
            var (status, body) = await SendAsync(HttpMethod.Post, $"/v1/sessions/{session}/decisions", request);
            Assert.True(status == HttpStatusCode.OK, $"decision {step}: {status} {body}");
            Assert.Equal(step++, body!["step"]!.GetValue<int>());
            Assert.True(body["decision_ms"]!.GetValue<double>() >= 0);
            Assert.True(body["wait_ms"]!.GetValue<double>() >= 0);
            chosen.Add(body["action"]!["quality"]!.GetValue<int>());
        }

        return chosen;
    }

    /// <summary>Any call: status and JSON body (null when empty).</summary>
    /// <param name="method">HTTP method.</param>
    /// <param name="path">Path and query.</param>
    /// <param name="body">JSON body, or null.</param>
    /// <param name="expectContinue">
    /// Send <c>Expect: 100-continue</c> and the body only once the server asks for it, as a client of large uploads
    /// should: a server that refuses the body (413) then answers before any of it is sent, instead of closing the
    /// connection while the client is still writing (a broken pipe on the client's side).
    /// </param>
    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? body = null, bool expectContinue = false)
    {
        using var message = new HttpRequestMessage(method, path);
        message.Headers.ExpectContinue = expectContinue;
        if (body is not null)
        {
            message.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
