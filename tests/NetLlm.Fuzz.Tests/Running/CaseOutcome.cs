namespace NetLlm.Fuzz.Tests.Running;

/// <summary>How the command line answered one malformed input.</summary>
public enum CaseKind
{
    /// <summary>Refused with a one-line error and exit 1 or 2.</summary>
    Refused,

    /// <summary>Accepted (exit 0) and the result passed the format's check: the damage did not matter.</summary>
    Accepted,

    /// <summary>An unhandled exception, a stack trace, or an exit code the README does not document.</summary>
    Crash,

    /// <summary>No answer within the time limit.</summary>
    Hang,

    /// <summary>Exit 0 with a result that fails the format's check (a non-finite or out-of-range number).</summary>
    SilentWrong,
}

/// <summary>One case: what was damaged, what the command line did, and how that is judged.</summary>
/// <param name="Format">Format name.</param>
/// <param name="Index">Case number within the format (with the seed, it reproduces the case).</param>
/// <param name="Damage">What the mutator did.</param>
/// <param name="Kind">The judgement.</param>
/// <param name="Exit">Exit code (null when the command never returned).</param>
/// <param name="Message">The first line of standard error, or why the case is judged as it is.</param>
/// <param name="NamesTheInput">For refusals: whether the message names the damaged file (or its folder).</param>
/// <param name="Seconds">Wall time.</param>
public sealed record CaseOutcome(string Format, int Index, string Damage, CaseKind Kind, int? Exit, string Message, bool NamesTheInput, double Seconds);
