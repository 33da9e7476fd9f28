using System.Text;

namespace NetLlm.Cli.Sweeps;

/// <summary>
/// Runs a <c>netllm</c> command in this process and keeps the message of the last <c>error: ...</c> line it wrote to
/// standard error, while the user still sees everything it writes; what the command writes to standard output goes
/// to standard error, so the caller's own output (a summary, JSON) stays clean. Safe for commands running at once on
/// several threads (the worker slots of a silo): both streams are routed through writers that hand each line to the
/// capture of the thread that wrote it.
/// </summary>
internal static class ErrorCapture
{
    private const string Prefix = "error: ";
    private static readonly object Gate = new();
    private static TextWriter? _saved;
    private static TextWriter? _savedOut;
    private static int _active;

    [ThreadStatic]
    private static LineCapture? _current;

    /// <summary>Runs <paramref name="command"/>; returns its exit code and its last error message, if any.</summary>
    /// <param name="command">Runs the command on this thread; returns its exit code.</param>
    public static CommandOutcome Run(Func<int> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        lock (Gate)
        {
            if (_active++ == 0)
            {
                _saved = Console.Error;
                _savedOut = Console.Out;
                Console.SetError(new Router(_saved));
                Console.SetOut(new OutRouter(_savedOut));
            }
        }

        var capture = new LineCapture();
        _current = capture;
        try
        {
            var exit = command();
            return new CommandOutcome(exit, capture.LastError);
        }
        finally
        {
            _current = null;
            lock (Gate)
            {
                if (--_active == 0)
                {
                    Console.SetError(_saved!);
                    Console.SetOut(_savedOut!);
                    _saved = null;
                    _savedOut = null;
                }
            }
        }
    }

    private sealed class LineCapture
    {
        private readonly StringBuilder _line = new();

        public string? LastError { get; private set; }

        public void Feed(char value)
        {
            if (value != '\n')
            {
                _line.Append(value);
                return;
            }

            var line = _line.ToString().TrimEnd('\r');
            if (line.StartsWith(Prefix, StringComparison.Ordinal))
            {
                LastError = line[Prefix.Length..];
            }

            _line.Clear();
        }
    }

    /// <summary>Standard output: to standard error for a thread running a captured command, else unchanged.</summary>
    private sealed class OutRouter(TextWriter inner) : TextWriter
    {
        public override Encoding Encoding => inner.Encoding;

        private static TextWriter Target(TextWriter inner) => _current is null ? inner : Console.Error;

        public override void Write(char value) => Target(inner).Write(value);

        public override void Write(string? value) => Target(inner).Write(value);

        public override void WriteLine(string? value) => Target(inner).Write(value + "\n");

        public override void Flush() => inner.Flush();
    }

    private sealed class Router(TextWriter inner) : TextWriter
    {
        public override Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            inner.Write(value);
            _current?.Feed(value);
        }

        public override void Write(string? value)
        {
            inner.Write(value);
            foreach (var c in value ?? "")
            {
                _current?.Feed(c);
            }
        }

        public override void WriteLine(string? value) => Write(value + "\n");

        public override void Flush() => inner.Flush();
    }
}
