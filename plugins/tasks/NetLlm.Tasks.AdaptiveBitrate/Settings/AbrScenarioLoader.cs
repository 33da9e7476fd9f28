using System.Globalization;
using NetLlm.Abstractions.Tasks;
using NetLlm.Tasks.AdaptiveBitrate.Data;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;
using NetLlm.Tasks.AdaptiveBitrate.Synthetic;

namespace NetLlm.Tasks.AdaptiveBitrate.Settings;

/// <summary>
/// Turns resolved <see cref="AbrOptions"/> into a scenario: generated traces with a generated video or a given one
/// (<c>--synthetic [--video DIR]</c>), or a trace folder with its video and optional start pointers, paths resolved
/// under the data root first. Checks the
/// rules that tie options together; errors name the options.
/// </summary>
public static class AbrScenarioLoader
{
    /// <summary>Checks the rules that tie options together (throws <see cref="ArgumentException"/> naming the options).</summary>
    /// <param name="options">The options.</param>
    public static void Validate(AbrOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Synthetic)
        {
            var folderOptions = new[] { ("traces", options.Traces), ("start-pointers", options.StartPointers) }
                .Where(o => o.Item2 is not null).Select(o => "--" + o.Item1).ToList();
            if (folderOptions.Count > 0)
            {
                throw new ArgumentException($"option --synthetic generates the traces; it excludes {string.Join(", ", folderOptions)}");
            }

            return;
        }

        if (options.Traces is null)
        {
            throw new ArgumentException("option --traces is required (a trace folder), or --synthetic, or a --setting (default, train, unseen-1, ...)");
        }

        if (options.Video is null)
        {
            throw new ArgumentException("option --video is required with --traces");
        }
    }

    /// <summary>Loads the scenario (the data is read and validated).</summary>
    /// <param name="options">The options.</param>
    /// <param name="context">Data root for relative paths.</param>
    public static AbrScenario Load(AbrOptions options, TaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Validate(options);
        if (options.Synthetic)
        {
            var traces = AbrSyntheticData.GenerateTraces(options.SyntheticCount, options.SyntheticSeed);
            var video = options.Video is null
                ? AbrSyntheticData.GenerateVideo(options.SyntheticSeed + 1L)
                : VideoLoader.LoadDirectory(context.ResolvePath(options.Video, "option --video"));
            var name = string.Create(CultureInfo.InvariantCulture, $"synthetic(count={options.SyntheticCount}, seed={options.SyntheticSeed})");
            return new AbrScenario(name, traces, video, null, options.Deterministic, options.TraceCount);
        }

        var tracesDir = context.ResolvePath(options.Traces!, "option --traces");
        var videoDir = context.ResolvePath(options.Video!, "option --video");
        var folderTraces = TraceLoader.LoadDirectory(tracesDir);
        var folderVideo = VideoLoader.LoadDirectory(videoDir);
        IReadOnlyList<int>? pointers = null;
        if (options.StartPointers is { Length: > 0 } pointerPath)
        {
            pointers = StartPointerFile.Load(context.ResolvePath(pointerPath, "option --start-pointers"), folderTraces);
        }

        return new AbrScenario(tracesDir, folderTraces, folderVideo, pointers, options.Deterministic, options.TraceCount);
    }
}
