using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using NetLlm.Abstractions.Serving;
using NetLlm.Core.Serving;

namespace NetLlm.Cli.Serving;

/// <summary>
/// The HTTP API v1 of <c>netllm serve</c> (docs/serving.md) mapped onto an <see cref="IPolicyServer"/>: JSON in and
/// out, errors as <c>{"error": "..."}</c> (400 naming the field, 404 unknown session, 429 session limit, 500 a fault).
/// </summary>
internal static class ServeRoutes
{
    private static readonly JsonSerializerOptions Output = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Map(WebApplication app, IPolicyServer server)
    {
        app.MapGet("/v1/health", (HttpContext http) => HandleNow(http, () => ((StatusCodes.Status200OK, new JsonObject
        {
            ["status"] = "ok",
            ["task"] = server.TaskId,
            ["policy"] = server.Policy,
            ["sessions"] = server.Metrics().SessionsOpen,
        }))));
        app.MapPost("/v1/sessions", (HttpContext http) => Handle(http, async () =>
        {
            using var body = await ReadBody(http, allowEmpty: true).ConfigureAwait(false);
            var opened = server.Open(Label(body));
            var reply = new JsonObject { ["session"] = opened.Id, ["task"] = server.TaskId, ["policy"] = server.Policy };
            if (opened.Label is not null)
            {
                reply["label"] = opened.Label;
            }

            return (StatusCodes.Status201Created, reply);
        }));
        app.MapPost("/v1/sessions/{session}/decisions", (HttpContext http, string session) => Handle(http, async () =>
        {
            using var body = await ReadBody(http, allowEmpty: false).ConfigureAwait(false);
            var decision = server.Decide(session, body!.RootElement);
            return (StatusCodes.Status200OK, new JsonObject
            {
                ["action"] = decision.Action,
                ["decision_ms"] = Math.Round(decision.DecisionMs, 4),
                ["wait_ms"] = Math.Round(decision.WaitMs, 4),
                ["step"] = decision.Step,
            });
        }));
        app.MapDelete("/v1/sessions/{session}", (HttpContext http, string session) => HandleNow(http, () => (server.Close(session)
            ? (StatusCodes.Status204NoContent, null)
            : throw new UnknownSessionException($"unknown session '{session}' (never opened or already deleted)"))));
        app.MapGet("/v1/metrics", (HttpContext http) => HandleNow(http, () => ((StatusCodes.Status200OK, MetricsJson(server)))));
        app.MapFallback((HttpContext http) => Error(http, StatusCodes.Status404NotFound, $"no endpoint {http.Request.Method} {http.Request.Path} (see docs/serving.md: /v1/health, /v1/sessions, /v1/sessions/{{id}}/decisions, /v1/metrics)"));
    }

    /// <summary>The metrics reply: the API's fields plus the sample count, wait_ms, max_sessions, sessions_expired, session_idle_s and (adapted runs) contexts_open.</summary>
    public static JsonObject MetricsJson(IPolicyServer server)
    {
        var m = server.Metrics();
        var json = new JsonObject
        {
            ["sessions_open"] = m.SessionsOpen,
            ["sessions_total"] = m.SessionsTotal,
            ["decisions"] = m.Decisions,
            ["decision_ms"] = new JsonObject
            {
                ["p50"] = Math.Round(m.Latency.P50, 4),
                ["p90"] = Math.Round(m.Latency.P90, 4),
                ["p99"] = Math.Round(m.Latency.P99, 4),
                ["max"] = Math.Round(m.Latency.Max, 4),
                ["count"] = m.Latency.Count,
            },
            ["wait_ms"] = new JsonObject
            {
                ["p50"] = Math.Round(m.Wait.P50, 4),
                ["p99"] = Math.Round(m.Wait.P99, 4),
                ["max"] = Math.Round(m.Wait.Max, 4),
            },
            ["max_sessions"] = server.MaxSessions,
            ["sessions_expired"] = m.SessionsExpired,
            ["session_idle_s"] = server.IdleTimeout is { } idle ? idle.TotalSeconds : null,
        };
        if (m.ContextsOpen is { } contexts)
        {
            json["contexts_open"] = contexts;
        }

        return json;
    }

    private static async Task<JsonDocument?> ReadBody(HttpContext http, bool allowEmpty)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted).ConfigureAwait(false);
        if (buffer.Length == 0 && allowEmpty)
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(buffer.ToArray());
        }
        catch (JsonException e)
        {
            throw new ServingRequestException("body", buffer.Length == 0 ? "is empty; expected a JSON object" : string.Create(CultureInfo.InvariantCulture, $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})"));
        }
    }

    private static string? Label(JsonDocument? body)
    {
        if (body is null)
        {
            return null;
        }

        if (body.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new ServingRequestException("body", "expected a JSON object ({} or {\"label\": \"...\"})");
        }

        if (!body.RootElement.TryGetProperty("label", out var label) || label.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return label.ValueKind == JsonValueKind.String
            ? label.GetString()
            : throw new ServingRequestException("label", "expected a string");
    }

    private static Task HandleNow(HttpContext http, Func<(int Status, JsonObject? Body)> handle) => Handle(http, () => Task.FromResult(handle()));

    private static async Task Handle(HttpContext http, Func<Task<(int Status, JsonObject? Body)>> handle)
    {
        int status;
        JsonObject? body;
        try
        {
            (status, body) = await handle().ConfigureAwait(false);
        }
        catch (Exception e) when (Status(e) is { } code)
        {
            await Error(http, code, e.Message).ConfigureAwait(false);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Console.Error.WriteLine($"error: {http.Request.Method} {http.Request.Path}: {e}");
            await Error(http, StatusCodes.Status500InternalServerError, "internal error: " + e.Message).ConfigureAwait(false);
            return;
        }

        if (body is null)
        {
            http.Response.StatusCode = status;
            return;
        }

        await Write(http, status, body).ConfigureAwait(false);
    }

    private static int? Status(Exception e) => e switch
    {
        ServingRequestException => StatusCodes.Status400BadRequest,
        UnknownSessionException => StatusCodes.Status404NotFound,
        SessionLimitException => StatusCodes.Status429TooManyRequests,
        BadHttpRequestException bad => bad.StatusCode,
        _ => null,
    };

    private static Task Error(HttpContext http, int status, string message) => Write(http, status, new JsonObject { ["error"] = message });

    private static Task Write(HttpContext http, int status, JsonObject body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsync(body.ToJsonString(Output), http.RequestAborted);
    }
}
