using System.Diagnostics;
using NetLlm.Fuzz.Tests.Formats;
using NetLlm.Testing;

namespace NetLlm.Fuzz.Tests.Running;

/// <summary>
/// Runs the suite's cases: per format, first the clean input (which must be accepted, or the cases would prove
/// nothing), then the seeded damaged cases; keeps every outcome and writes the summary when disposed.
/// </summary>
public sealed class FuzzSession : IDisposable
{
    private readonly TempDirectory _work = new("netllm-fuzz-");
    private readonly List<CaseOutcome> _outcomes = [];
    private readonly Dictionary<string, string> _cleanFailures = new(StringComparer.Ordinal);
    private readonly ICommandLine _processes;

    /// <summary>Creates the session from the environment's settings.</summary>
    public FuzzSession()
    {
        Settings = FuzzSettings.FromEnvironment();
        var netllm = Settings.NetllmDll ?? Path.Combine(AppContext.BaseDirectory, "netllm.dll");
        CommandLine = Settings.NetllmDll is null ? new InProcessCommandLine() : new ProcessCommandLine(netllm);
        _processes = CommandLine as ProcessCommandLine ?? new ProcessCommandLine(netllm);
        Formats = FormatCatalog.All(
            new FuzzArtifacts(CommandLine, Directory.CreateDirectory(Path.Combine(_work.Path, "artifacts")).FullName),
            Path.Combine(Path.GetDirectoryName(Path.GetFullPath(netllm))!, "plugins"));
    }

    /// <summary>The settings.</summary>
    public FuzzSettings Settings { get; }

    /// <summary>The command line under test.</summary>
    public ICommandLine CommandLine { get; }

    /// <summary>The formats.</summary>
    public IReadOnlyList<FuzzFormat> Formats { get; }

    /// <summary>Runs every case of <paramref name="name"/>; returns the clean run's failure (null when it passed) and the outcomes.</summary>
    public (string? CleanFailure, IReadOnlyList<CaseOutcome> Outcomes) Run(string name)
    {
        var format = Formats.Single(f => f.Name == name);
        var clean = RunCase(format, -1, damage: false);
        if (clean.Kind != CaseKind.Accepted)
        {
            var failure = $"the clean input was not accepted ({clean.Kind}, exit {clean.Exit?.ToString() ?? "none"}): {clean.Message}";
            _cleanFailures[name] = failure;
            return (failure, []);
        }

        var outcomes = new List<CaseOutcome>();
        for (var i = 0; i < Settings.Cases; i++)
        {
            var outcome = RunCase(format, i, damage: true);
            outcomes.Add(outcome);
            if (outcome.Kind == CaseKind.Hang && CommandLine is InProcessCommandLine)
            {
                break;
            }
        }

        lock (_outcomes)
        {
            _outcomes.AddRange(outcomes);
        }

        return (null, outcomes);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        FuzzSummary.Write(Settings, CommandLine.Description, Formats, _outcomes, _cleanFailures);
        CommandLine.Dispose();
        _processes.Dispose();
        _work.Dispose();
    }

    private CaseOutcome RunCase(FuzzFormat format, int index, bool damage)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_work.Path, format.Name, index < 0 ? "clean" : index.ToString("D5", System.Globalization.CultureInfo.InvariantCulture))).FullName;
        try
        {
            var random = new Random(Settings.CaseSeed(format.Name, index));
            var target = format.Prepare(dir, random);
            var description = "none (clean input)";
            if (damage)
            {
                var (bytes, what) = format.Mutate(File.ReadAllBytes(target), random);
                File.WriteAllBytes(target, bytes);
                description = $"{Path.GetRelativePath(dir, target)}: {what}";
            }

            format.AfterDamage?.Invoke(dir, target);
            var watch = Stopwatch.StartNew();
            var result = (format.RunsAsProcess ? _processes : CommandLine).Run(dir, format.Limit, format.Command(dir));
            return CaseJudge.Judge(format, index, description, dir, target, result, watch.Elapsed.TotalSeconds);
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // A hung in-process command may still hold files; the session's folder is removed at the end.
            }
        }
    }
}
