using System.Runtime.InteropServices;

namespace NetLlm.Cli.Infrastructure;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM for the process. While a command that stops cleanly is running (the task verbs: adapt
/// checkpoints at its next optimiser step, collect and test stop between steps), the first signal cancels its token and
/// the command exits with <see cref="ExitCodes.Cancelled"/> after saving; a second signal, or a signal during any
/// other command, ends the process at once as the operating system would.
/// </summary>
internal static class Interruption
{
    private static readonly CancellationTokenSource Source = new();
    private static int _cooperating;

    /// <summary>Cancelled by the first signal received while a command cooperates.</summary>
    public static CancellationToken Token => Source.Token;

    /// <summary>Installs the handlers for this process (the real entry point only; tests run commands in-process).</summary>
    public static IDisposable Install()
    {
        var handlers = new[]
        {
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
        };
        return new Scope(() =>
        {
            foreach (var handler in handlers)
            {
                handler.Dispose();
            }
        });
    }

    /// <summary>Marks the running command as one that stops cleanly on its token; dispose when it returns.</summary>
    public static IDisposable Cooperate()
    {
        Interlocked.Increment(ref _cooperating);
        return new Scope(() => Interlocked.Decrement(ref _cooperating));
    }

    private static void Handle(PosixSignalContext context)
    {
        if (Volatile.Read(ref _cooperating) == 0 || Source.IsCancellationRequested)
        {
            return;
        }

        context.Cancel = true;
        Console.Error.WriteLine($"{context.Signal}: stopping at the next safe point (adapt writes a checkpoint first); send it again to stop at once");
        Source.Cancel();
    }

    private sealed class Scope(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
