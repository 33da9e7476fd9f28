using System.Text.RegularExpressions;
using NetLlm.Fuzz.Tests.Formats;

namespace NetLlm.Fuzz.Tests.Running;

/// <summary>Judges a command's answer to a damaged input by the README's rules.</summary>
public static partial class CaseJudge
{
    [GeneratedRegex(@"^\s+at \S+", RegexOptions.Multiline)]
    private static partial Regex StackFrame();

    /// <summary>The outcome of one case.</summary>
    public static CaseOutcome Judge(FuzzFormat format, int index, string damage, string caseDir, string target, CommandResult result, double seconds)
    {
        var firstError = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(l => !l.StartsWith("warning:", StringComparison.Ordinal)) ?? string.Empty;
        CaseOutcome Outcome(CaseKind kind, string message, bool names = false) =>
            new(format.Name, index, damage, kind, result.Exit, message.Length > 300 ? message[..300] + "..." : message, names, seconds);

        if (result.Escaped is { } e)
        {
            return Outcome(CaseKind.Crash, $"unhandled {e.GetType().FullName}: {e.Message}");
        }

        if (result.Exit is null)
        {
            return Outcome(CaseKind.Hang, $"no answer within {format.Limit.TotalSeconds:F0} s");
        }

        if (result.Error.Contains("Unhandled exception", StringComparison.OrdinalIgnoreCase) || StackFrame().IsMatch(result.Error))
        {
            return Outcome(CaseKind.Crash, "stack trace: " + firstError);
        }

        switch (result.Exit)
        {
            case 0:
                {
                    var problem = format.Check(caseDir, result);
                    return problem is null ? Outcome(CaseKind.Accepted, "accepted") : Outcome(CaseKind.SilentWrong, problem);
                }

            case 1:
            case 2:
                {
                    // The damaged file, its folder, or a file of the case (CJS reads copies of the damaged DAG).
                    var names = result.Error.Contains(Path.GetFileName(target), StringComparison.Ordinal)
                        || result.Error.Contains(caseDir, StringComparison.Ordinal);
                    return Outcome(CaseKind.Refused, firstError, names);
                }

            default:
                return Outcome(CaseKind.Crash, $"undocumented exit code {result.Exit}: {firstError}");
        }
    }
}
