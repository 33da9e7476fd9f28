using System.Text;

namespace NetLlm.Cli.Sweeps;

/// <summary>
/// Passes everything written to it on to another writer and keeps the last <c>error: ...</c> line, so a sweep can
/// record why an item's command failed while the user still sees the command's output.
/// </summary>
internal sealed class ErrorCapture : TextWriter
{
    private const string Prefix = "error: ";
    private readonly TextWriter _inner;
    private readonly StringBuilder _line = new();

    /// <summary>Creates the writer.</summary>
    /// <param name="inner">Where the text goes.</param>
    public ErrorCapture(TextWriter inner)
    {
        _inner = inner;
    }

    /// <inheritdoc/>
    public override Encoding Encoding => _inner.Encoding;

    /// <summary>The message of the last <c>error: </c> line written, or null.</summary>
    public string? LastError { get; private set; }

    /// <inheritdoc/>
    public override void Write(char value)
    {
        _inner.Write(value);
        if (value == '\n')
        {
            var line = _line.ToString().TrimEnd('\r');
            if (line.StartsWith(Prefix, StringComparison.Ordinal))
            {
                LastError = line[Prefix.Length..];
            }

            _line.Clear();
        }
        else
        {
            _line.Append(value);
        }
    }

    /// <inheritdoc/>
    public override void Write(string? value)
    {
        foreach (var c in value ?? "")
        {
            Write(c);
        }
    }

    /// <inheritdoc/>
    public override void Flush() => _inner.Flush();
}
