using System.Diagnostics;
using System.Globalization;
using NetLlm.Abstractions.Tasks;

namespace NetLlm.Cli.Infrastructure;

/// <summary>
/// Progress as plain log lines on standard error (used when output is not a terminal): one line when a unit of
/// work starts, at most one every few seconds while it runs, and one when it ends.
/// </summary>
public sealed class PlainProgressSink : IProgressSink
{
    private readonly TextWriter _writer;
    private readonly TimeSpan _interval;

    /// <summary>Creates the sink.</summary>
    /// <param name="writer">Where lines go (standard error).</param>
    /// <param name="interval">Minimum time between progress lines.</param>
    public PlainProgressSink(TextWriter writer, TimeSpan? interval = null)
    {
        _writer = writer;
        _interval = interval ?? TimeSpan.FromSeconds(5);
    }

    /// <inheritdoc />
    public IProgressTask Start(string description, double total)
    {
        _writer.WriteLine($"[{description}] started ({total.ToString("0", CultureInfo.InvariantCulture)} steps)");
        return new Task(this, description, total);
    }

    private sealed class Task : IProgressTask
    {
        private readonly PlainProgressSink _sink;
        private readonly string _description;
        private readonly double _total;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _last;
        private double _done;
        private string? _status;

        public Task(PlainProgressSink sink, string description, double total)
        {
            _sink = sink;
            _description = description;
            _total = total;
        }

        public void Advance(double steps, string? status = null)
        {
            _done += steps;
            _status = status ?? _status;
            if (_clock.Elapsed - _last >= _sink._interval)
            {
                _last = _clock.Elapsed;
                Print();
            }
        }

        public void Dispose()
        {
            Print();
            _sink._writer.WriteLine($"[{_description}] done in {_clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        }

        private void Print()
        {
            var pct = _total > 0 ? 100.0 * _done / _total : 0;
            _sink._writer.WriteLine($"[{_description}] {pct.ToString("0", CultureInfo.InvariantCulture)}% ({_done.ToString("0", CultureInfo.InvariantCulture)}/{_total.ToString("0", CultureInfo.InvariantCulture)}){(_status is null ? string.Empty : " " + _status)}");
        }
    }
}
