using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.AdaptiveBitrate.Serving;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Testbeds.DashPlayer.Serving;

/// <summary>
/// A policy that asks a policy server (API v1) for every decision: each simulator observation is posted as the
/// player report the page would send for the same chunk (one session per episode). The simulator column of realtest
/// runs through it, so the simulated and the real playback ask the same server, whatever it serves (a baseline or an
/// adapted run with its KV cache).
/// </summary>
public sealed class ServedPolicy : IPolicy<AbrObservation, int>
{
    private readonly HttpClient _http;
    private readonly string _label;
    private string? _session;

    /// <summary>Creates the policy.</summary>
    /// <param name="baseAddress">The server's base address (ends with '/').</param>
    /// <param name="id">The served policy's id (reported as this policy's id).</param>
    /// <param name="label">Label of the sessions this policy opens.</param>
    public ServedPolicy(Uri baseAddress, string id, string label)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
        Id = id;
        _label = label;
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <inheritdoc />
    public void BeginEpisode()
    {
        CloseSession();
        var body = Send(HttpMethod.Post, "v1/sessions", new JsonObject { ["label"] = _label }, HttpStatusCode.Created);
        _session = (string?)body?["session"] ?? throw new InvalidDataException("policy server: a new session without a \"session\" id");
    }

    /// <inheritdoc />
    public int Act(AbrObservation observation)
    {
        var session = _session ?? throw new InvalidOperationException("BeginEpisode was not called");
        var report = AbrPlayerReport.From(observation).ToJson();
        var answer = Send(HttpMethod.Post, $"v1/sessions/{Uri.EscapeDataString(session)}/decisions", report, HttpStatusCode.OK);
        var quality = (int?)answer?["action"]?["quality"];
        return quality is >= 0 and < AbrConstants.BitrateLevels
            ? quality.Value
            : throw new InvalidDataException("policy server: a decision without a quality 0..5: " + answer?.ToJsonString());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        CloseSession();
        _http.Dispose();
    }

    private void CloseSession()
    {
        if (_session is { } open)
        {
            _session = null;
            using var request = new HttpRequestMessage(HttpMethod.Delete, $"v1/sessions/{Uri.EscapeDataString(open)}");
            using var response = _http.Send(request);
        }
    }

    private JsonNode? Send(HttpMethod method, string path, JsonObject body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        using var response = _http.Send(request);
        using var reader = new StreamReader(response.Content.ReadAsStream(), Encoding.UTF8);
        var text = reader.ReadToEnd();
        return response.StatusCode == expected
            ? JsonNode.Parse(text)
            : throw new HttpRequestException(string.Create(CultureInfo.InvariantCulture, $"policy server: {method} {path} answered {(int)response.StatusCode}: {text}"));
    }
}
