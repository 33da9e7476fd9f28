using NetLlm.Abstractions.Tasks;
using Spectre.Console;

namespace NetLlm.Cli.Infrastructure;

/// <summary>Runs work with the progress display the options ask for.</summary>
public static class ProgressRunner
{
    /// <summary>
    /// Runs <paramref name="work"/> with a progress sink: bars when <paramref name="mode"/> is <c>bar</c> (or
    /// <c>auto</c> on an interactive terminal), plain lines on standard error for <c>plain</c> (or <c>auto</c> when
    /// output is redirected), nothing for <c>none</c>.
    /// </summary>
    /// <typeparam name="T">Result type.</typeparam>
    /// <param name="mode">auto, bar, plain or none.</param>
    /// <param name="work">The work.</param>
    public static T Run<T>(string mode, Func<IProgressSink, T> work)
    {
        var interactive = !Console.IsErrorRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        var effective = mode == "auto" ? (interactive ? "bar" : "plain") : mode;
        switch (effective)
        {
            case "bar":
                T result = default!;
                var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
                console.Progress()
                    .AutoClear(false)
                    .HideCompleted(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .Start(ctx => result = work(new SpectreProgressSink(ctx)));
                return result;
            case "plain":
                return work(new PlainProgressSink(Console.Error));
            default:
                return work(NullProgressSink.Instance);
        }
    }
}
