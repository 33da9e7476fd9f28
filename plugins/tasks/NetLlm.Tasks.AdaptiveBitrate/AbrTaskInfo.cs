using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Data;
using NetLlm.Tasks.AdaptiveBitrate.Data;
using NetLlm.Tasks.AdaptiveBitrate.Settings;

namespace NetLlm.Tasks.AdaptiveBitrate;

/// <summary>What the host shows and checks about the ABR task: its metric and QoE terms, baselines and data.</summary>
public static class AbrTaskInfo
{
    /// <summary>Component name of the bitrate term (Mbps per scored chunk).</summary>
    public const string BitrateComponent = "bitrate";

    /// <summary>Component name of the rebuffering penalty (4.3 × stall seconds per scored chunk).</summary>
    public const string RebufferComponent = "rebuffer";

    /// <summary>Component name of the smoothness penalty (|Δbitrate| Mbps per scored chunk).</summary>
    public const string SmoothnessComponent = "smoothness";

    /// <summary>The task's info.</summary>
    public static TaskInfo Info { get; } = new()
    {
        Id = "abr",
        Title = "Adaptive bitrate streaming",
        Kind = TaskKind.Decision,
        Metric = new MetricInfo(
            "mean_qoe",
            string.Empty,
            true,
            "mean per-chunk QoE = bitrate_Mbps - 4.3*rebuffer_s - |delta bitrate|_Mbps over all traces, skipping each trace's first chunk")
        {
            Label = "mean QoE",
            ItemLabel = "trace",
            ItemQuantity = "mean QoE",
            Components =
            [
                new MetricComponent(BitrateComponent, "bitrate (Mbps)"),
                new MetricComponent(RebufferComponent, "rebuffering penalty"),
                new MetricComponent(SmoothnessComponent, "smoothness penalty (Mbps)"),
            ],
        },
        Description = "Choose the bitrate of each 4-second chunk of a 48-chunk video streamed over a bandwidth trace (the Pensieve/Genet " +
            "chunk-level simulator); the QoE rewards bitrate and penalises stalls and bitrate changes.",
        Baselines = ["abr.bba", "abr.mpc", "abr.genet", "abr.udr-1", "abr.udr-2", "abr.udr-3", "abr.udr-real"],
        Data = Manifest.Attach(
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
            new("abr/models", "*", 24, false, "NetLLM all_models: the original TF1 checkpoints the actors were exported from, and their README") { Recursive = true },
            new("abr/extra_genet/traces/norway_train", "*", 115, false, "Genet abr_trace/training_trace/norway_train (Norway 3G/HSDPA traces; no built-in setting uses them)", ValidateTrace),
            new("abr/extra_genet/videos/synthetic_video_sizes", "video_size_*", 6, false, "Genet fig_reproduce/data/video_sizes (no built-in setting uses them)"),
            new("abr/README.md", null, 1, false, "notes of the abr data folder: formats, sources, licences"),
        ]),
        DataSources = Manifest.Sources,
    };

    /// <summary>The known files of the abr data folder (sizes, SHA-256, public URLs), embedded from <c>Data/data-manifest.tsv</c>.</summary>
    private static DataManifest Manifest => DataManifest.FromResource(typeof(AbrTaskInfo).Assembly, "data-manifest.tsv");

    /// <summary>Checks one trace file of a data folder: null when it loads, else the problem (file and line).</summary>
    /// <param name="path">The file.</param>
    public static string? ValidateTrace(string path)
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
