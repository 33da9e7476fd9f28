using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Tasks.AdaptiveBitrate.Bench;
using NetLlm.Tasks.AdaptiveBitrate.Data;
using NetLlm.Tasks.AdaptiveBitrate.Model;
using NetLlm.Tasks.AdaptiveBitrate.Results;
using NetLlm.Tasks.AdaptiveBitrate.Running;
using NetLlm.Tasks.AdaptiveBitrate.Settings;

namespace NetLlm.Tasks.AdaptiveBitrate;

/// <summary>
/// The adaptive bitrate streaming task (<c>abr</c>): the original's chunk-level simulator, its settings and QoE.
/// <c>test</c> streams every trace of a setting with each policy (a baseline id or an adapted run directory) and
/// reports mean QoE (skipping each trace's first chunk) with its terms and per-trace values, optionally writing the
/// original's result files; <c>bench</c> measures simulated chunks per second; <c>collect</c> (default setting
/// <c>train</c>, one episode per trace) and <c>adapt</c> (evaluation setting <c>valid</c>) run through the shared
/// adaptation loop of NetLlm.Core with <see cref="AbrTaskBinding"/>.
/// </summary>
public sealed class AbrTask : ITaskDefinition
{
    /// <inheritdoc />
    public string Id => "abr";

    /// <inheritdoc />
    public string Title => "Adaptive bitrate streaming";

    /// <inheritdoc />
    public TaskKind Kind => TaskKind.Decision;

    /// <inheritdoc />
    public MetricInfo Metric { get; } = new(
        "mean_qoe",
        string.Empty,
        true,
        "mean per-chunk QoE = bitrate_Mbps - 4.3*rebuffer_s - |delta bitrate|_Mbps over all traces, skipping each trace's first chunk");

    /// <inheritdoc />
    public IReadOnlyList<TaskSetting> Settings => AbrSettings.All;

    /// <inheritdoc />
    public IReadOnlyList<TaskOptionSpec> Options => AbrOptionNames.Specs;

    /// <inheritdoc />
    public IReadOnlyList<string> Baselines { get; } = ["abr.bba", "abr.mpc", "abr.genet", "abr.udr-1", "abr.udr-2", "abr.udr-3", "abr.udr-real"];

    /// <inheritdoc />
    public IReadOnlyList<DataRequirement> DataRequirements { get; } =
    [
        new(AbrSettings.FccTest, "*", 100, true, "NetLLM adaptive_bitrate_streaming/data/traces/test/fcc-test", ValidateTrace),
        new(AbrSettings.FccTestPointers, null, 1, true, "NetLLM fcc-test mahimahi_ptrs.pkl converted to JSON"),
        new(AbrSettings.FccTrain, "*", 235, true, "NetLLM adaptive_bitrate_streaming/data/traces/train/fcc-train", ValidateTrace),
        new(AbrSettings.FccValid, "*", 150, false, "NetLLM adaptive_bitrate_streaming/data/traces/valid/fcc-valid (adapt's evaluation setting)", ValidateTrace),
        new(AbrSettings.Video1, "video_size_*", 6, true, "NetLLM adaptive_bitrate_streaming/data/videos/video1_sizes"),
        new(AbrSettings.Video2, "video_size_*", 6, true, "NetLLM adaptive_bitrate_streaming/data/videos/video2_sizes"),
        new(AbrSettings.SyntheticTest, "*", 200, false, "Genet fig_reproduce/data/synthetic_test (unseen-2/3 settings)", ValidateTrace),
        new("abr/models/genet/actor.safetensors", null, 1, false, "GENET actor exported from NetLLM all_models/genet (abr.genet)"),
        new("abr/models/udr_1/actor.safetensors", null, 1, false, "UDR-1 actor exported from NetLLM all_models/udr_1 (abr.udr-1)"),
        new("abr/models/udr_2/actor.safetensors", null, 1, false, "UDR-2 actor exported from NetLLM all_models/udr_2 (abr.udr-2)"),
        new("abr/models/udr_3/actor.safetensors", null, 1, false, "UDR-3 actor exported from NetLLM all_models/udr_3 (abr.udr-3)"),
        new("abr/models/udr_real/actor.safetensors", null, 1, false, "UDR-real actor exported from NetLLM all_models/udr_real (abr.udr-real)"),
    ];

    /// <inheritdoc />
    public IReadOnlyList<TaskVerb> Verbs { get; } = [TaskVerb.Collect, TaskVerb.Adapt, TaskVerb.Test, TaskVerb.Bench];

    /// <summary>What the shared adaptation machinery uses for ABR (state codec, action split, model, environments).</summary>
    public AbrTaskBinding DecisionBinding { get; } = new();

    /// <inheritdoc />
    public TaskReport Run(TaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Verb switch
        {
            TaskVerb.Test => Test(request),
            TaskVerb.Bench => AbrBenchmark.Run(request),
            TaskVerb.Collect => Collect(request),
            TaskVerb.Adapt => DecisionTaskVerbs.Adapt(DecisionBinding, request),
            _ => throw new NotSupportedException($"abr: unknown verb {request.Verb}"),
        };
    }

    private TaskReport Collect(TaskRequest request)
    {
        var configuration = AbrRunConfiguration.Resolve(request);
        return DecisionTaskVerbs.Collect(
            DecisionBinding,
            request,
            configuration.Episodes,
            id => AbrPolicyResolver.Create(id, request, configuration.Arguments.Values));
    }

    private static TaskReport Test(TaskRequest request)
    {
        if (request.Policies.Count == 0)
        {
            throw new ArgumentException("abr test: give at least one --policy (for example abr.bba)");
        }

        var configuration = AbrRunConfiguration.Resolve(request);
        var runs = new List<AbrRunResult>();
        var written = new List<string?>();
        foreach (var id in request.Policies)
        {
            request.Cancellation.ThrowIfCancellationRequested();
            using var policy = AbrPolicyResolver.Create(id, request, configuration.Arguments.Values);
            using var environment = new Simulation.AbrEnvironment(configuration.Scenario);
            AbrRunResult run;
            using (var progress = request.Progress.Start($"abr test {id}", configuration.Episodes))
            {
                run = AbrEpisodeRunner.Run(environment, policy, configuration.Episodes, recordChunks: configuration.ResultsDirectory is not null, progress, request.Cancellation);
            }

            string? directory = null;
            if (configuration.ResultsDirectory is { } root)
            {
                directory = request.Policies.Count == 1 ? root : Path.Combine(root, SafeName(id));
                AbrResultsWriter.Write(directory, run);
            }

            runs.Add(run);
            written.Add(directory);
        }

        return AbrReportBuilder.Build(configuration, request.Seed, runs, written);
    }

    private static string SafeName(string policy)
    {
        var invalid = Path.GetInvalidFileNameChars();
        return new string(policy.Select(c => invalid.Contains(c) ? '_' : c).ToArray());
    }

    private static string? ValidateTrace(string path)
    {
        if (path.EndsWith(".pkl", StringComparison.Ordinal) || Path.GetFileName(path).StartsWith('.'))
        {
            return null; // the loaders skip these, as the original does
        }

        try
        {
            TraceLoader.LoadFile(path);
            return null;
        }
        catch (InvalidDataException e)
        {
            return e.Message;
        }
    }
}
