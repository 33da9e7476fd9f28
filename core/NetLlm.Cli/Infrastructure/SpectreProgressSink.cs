using NetLlm.Abstractions.Tasks;
using Spectre.Console;

namespace NetLlm.Cli.Infrastructure;

/// <summary>Progress bars on a terminal (Spectre.Console), one bar per unit of work.</summary>
public sealed class SpectreProgressSink : IProgressSink
{
    private readonly ProgressContext _context;

    /// <summary>Creates the sink inside a running Spectre progress display.</summary>
    /// <param name="context">The progress context.</param>
    public SpectreProgressSink(ProgressContext context)
    {
        _context = context;
    }

    /// <inheritdoc />
    public IProgressTask Start(string description, double total)
    {
        var task = _context.AddTask(Markup.Escape(description), maxValue: Math.Max(total, 1));
        return new Bar(task, description);
    }

    private sealed class Bar : IProgressTask
    {
        private readonly ProgressTask _task;
        private readonly string _description;

        public Bar(ProgressTask task, string description)
        {
            _task = task;
            _description = description;
        }

        public void Advance(double steps, string? status = null)
        {
            _task.Increment(steps);
            if (status is not null)
            {
                _task.Description = Markup.Escape($"{_description} {status}");
            }
        }

        public void Dispose()
        {
            _task.Value = _task.MaxValue;
            _task.StopTask();
        }
    }
}
