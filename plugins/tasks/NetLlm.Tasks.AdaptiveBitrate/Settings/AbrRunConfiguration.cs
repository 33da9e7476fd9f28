using NetLlm.Abstractions.Tasks;
using NetLlm.Tasks.AdaptiveBitrate.Data;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;
using NetLlm.Tasks.AdaptiveBitrate.Synthetic;

namespace NetLlm.Tasks.AdaptiveBitrate.Settings;

/// <summary>
/// A verb's options resolved into what a run needs: the scenario (data loaded and validated), the number of episodes,
/// the results folder and the setting's name. When neither <c>--setting</c> nor a trace source (<c>--traces</c>,
/// <c>--synthetic</c>) is given, the verb's default setting is applied.
/// </summary>
public sealed class AbrRunConfiguration
{
    private AbrRunConfiguration(string? settingName, TaskArguments arguments, AbrScenario scenario, int episodes, string? resultsDirectory, string tracesSource)
    {
        SettingName = settingName;
        Arguments = arguments;
        Scenario = scenario;
        Episodes = episodes;
        ResultsDirectory = resultsDirectory;
        TracesSource = tracesSource;
    }

    /// <summary>The setting applied (given or defaulted), or null when the options alone describe the run.</summary>
    public string? SettingName { get; }

    /// <summary>The effective options (setting values merged under the explicit ones).</summary>
    public TaskArguments Arguments { get; }

    /// <summary>The scenario.</summary>
    public AbrScenario Scenario { get; }

    /// <summary>Episodes to run.</summary>
    public int Episodes { get; }

    /// <summary>Where to write per-trace result files, or null.</summary>
    public string? ResultsDirectory { get; }

    /// <summary>Where the traces came from (a folder, or <c>synthetic(...)</c>).</summary>
    public string TracesSource { get; }

    /// <summary>Resolves a request's options and loads the data.</summary>
    /// <param name="request">The verb's request.</param>
    public static AbrRunConfiguration Resolve(TaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arguments = request.Arguments;
        var settingName = request.Setting;
        if (settingName is not null)
        {
            // The host normally merged the setting already; merging again under the explicit values is harmless.
            arguments = arguments.WithDefaults(AbrSettings.Get(settingName).Values);
        }
        else if (!arguments.Has(AbrOptionNames.Traces) && !arguments.Flag(AbrOptionNames.Synthetic))
        {
            var fallback = AbrSettings.DefaultFor(request.Verb);
            settingName = fallback.Name;
            arguments = arguments.WithDefaults(fallback.Values);
        }

        var deterministic = arguments.Flag(AbrOptionNames.Deterministic);
        int? traceCount = arguments.Has(AbrOptionNames.TraceCount) ? arguments.Integer(AbrOptionNames.TraceCount, 0) : null;
        if (traceCount is < 1)
        {
            throw new ArgumentException($"option --{AbrOptionNames.TraceCount}: must be at least 1, got {traceCount}");
        }

        AbrScenario scenario;
        string source;
        if (arguments.Flag(AbrOptionNames.Synthetic))
        {
            var count = arguments.Integer(AbrOptionNames.SyntheticCount, 100);
            var seed = arguments.Integer(AbrOptionNames.SyntheticSeed, 1);
            if (count < 1)
            {
                throw new ArgumentException($"option --{AbrOptionNames.SyntheticCount}: must be at least 1, got {count}");
            }

            if (seed < 0)
            {
                throw new ArgumentException($"option --{AbrOptionNames.SyntheticSeed}: must be non-negative, got {seed}");
            }

            var traces = AbrSyntheticData.GenerateTraces(count, seed);
            var video = AbrSyntheticData.GenerateVideo(seed + 1L);
            source = $"synthetic(count={count}, seed={seed})";
            scenario = new AbrScenario(settingName ?? "synthetic", traces, video, null, deterministic, traceCount);
        }
        else
        {
            var tracesDir = ResolvePath(arguments.RequiredText(AbrOptionNames.Traces), request.DataRoot, AbrOptionNames.Traces);
            var videoDir = ResolvePath(
                arguments.Text(AbrOptionNames.Video) ?? throw new ArgumentException($"option --{AbrOptionNames.Video} is required with --{AbrOptionNames.Traces}"),
                request.DataRoot,
                AbrOptionNames.Video);
            var traces = TraceLoader.LoadDirectory(tracesDir);
            var video = VideoLoader.LoadDirectory(videoDir);
            IReadOnlyList<int>? pointers = null;
            if (arguments.Text(AbrOptionNames.StartPointers) is { Length: > 0 } pointerPath)
            {
                pointers = StartPointerFile.Load(ResolvePath(pointerPath, request.DataRoot, AbrOptionNames.StartPointers), traces);
            }

            source = tracesDir;
            scenario = new AbrScenario(settingName ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(tracesDir)), traces, video, pointers, deterministic, traceCount);
        }

        var episodes = arguments.Integer(AbrOptionNames.Episodes, scenario.TraceCount);
        if (episodes < 1)
        {
            throw new ArgumentException($"option --{AbrOptionNames.Episodes}: must be at least 1, got {episodes}");
        }

        var results = arguments.Text(AbrOptionNames.ResultsDir) ?? (request.Verb == TaskVerb.Test ? request.Output : null);
        return new AbrRunConfiguration(settingName, arguments, scenario, episodes, results is { Length: > 0 } ? Path.GetFullPath(results) : null, source);
    }

    /// <summary>
    /// Resolves a path option: absolute paths as given; relative ones under the data root when they exist there,
    /// otherwise relative to the working directory. Throws naming the option and the places looked at.
    /// </summary>
    /// <param name="path">The option value.</param>
    /// <param name="dataRoot">The data root, or null.</param>
    /// <param name="option">Option name, for messages.</param>
    public static string ResolvePath(string path, string? dataRoot, string option)
    {
        if (Path.IsPathRooted(path))
        {
            return Exists(path) ? path : throw new FileNotFoundException($"option --{option}: {path} does not exist", path);
        }

        if (dataRoot is not null)
        {
            var underRoot = Path.Combine(dataRoot, path);
            if (Exists(underRoot))
            {
                return Path.GetFullPath(underRoot);
            }
        }

        var local = Path.GetFullPath(path);
        if (Exists(local))
        {
            return local;
        }

        var places = dataRoot is null ? local : $"{Path.Combine(dataRoot, path)} or {local}";
        throw new FileNotFoundException($"option --{option}: '{path}' not found (looked at {places}; configure the data root)", path);
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);
}
