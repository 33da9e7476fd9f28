using NetLlm.Abstractions.Options;

namespace NetLlm.Core.Serving;

/// <summary>The policy server's own options (the task's options and the policy's are those of the test verb).</summary>
public sealed record ServeOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one (printed on the first line).</summary>
    [Option("TCP port on 127.0.0.1 (0 picks a free one; the first line printed is `listening on URL`)", Minimum = 0, Maximum = 65535, Verbs = VerbScope.Test)]
    public int Port { get; init; }

    /// <summary>Sessions open at once; one more is refused with HTTP 429.</summary>
    [Option("sessions open at once (one more is refused with HTTP 429 until a session is deleted)", Minimum = 1, Maximum = 100_000, Verbs = VerbScope.Test)]
    public int MaxSessions { get; init; } = 64;

    /// <summary>Seconds after which an unused session is closed (0: never).</summary>
    [Option("close a session no request has used for this many seconds, freeing its decision context (0: never; later requests to it get 404)", Minimum = 0, Maximum = 604_800, Verbs = VerbScope.Test)]
    public int SessionIdleSeconds { get; init; } = 600;

    /// <summary>The idle timeout, or null when sessions never expire.</summary>
    public TimeSpan? IdleTimeout => SessionIdleSeconds > 0 ? TimeSpan.FromSeconds(SessionIdleSeconds) : null;
}
