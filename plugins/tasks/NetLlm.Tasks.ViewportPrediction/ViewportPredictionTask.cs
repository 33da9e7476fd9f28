using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Models;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Data;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Evaluation;
using NetLlm.Tasks.ViewportPrediction.Model;
using NetLlm.Tasks.ViewportPrediction.Options;
using NetLlm.Tasks.ViewportPrediction.Policies;

namespace NetLlm.Tasks.ViewportPrediction;

/// <summary>
/// The viewport prediction task (<c>vp</c>): from a viewer's past head orientation, predict the next seconds. The
/// dataset is the Jin2022 / Wu2017 head-movement traces cut into windows (<see cref="Load"/>), a predictor sees the
/// history (<see cref="VpHistory"/>), the metric is the MAE in degrees with the 360° wrap (<see cref="Score"/>), and
/// the NetLLM model is <see cref="VpModel"/> (<see cref="VpModelDesign"/>). <c>bench</c> measures loading and
/// prediction throughput.
/// </summary>
public sealed class ViewportPredictionTask :
    IPredictionTask<ViewportSample, VpHistory, VpPrediction, VpOptions, VpModelOptions>,
    ITaskBenchmark<VpOptions>
{
    /// <summary>The task id.</summary>
    public const string TaskId = "vp";

    /// <inheritdoc />
    public TaskInfo Info { get; } = new()
    {
        Id = TaskId,
        Title = "Viewport prediction (360-degree video)",
        Kind = TaskKind.Prediction,
        Description = "Predict a viewer's head orientation (roll, pitch, yaw) over the next seconds of a 360-degree video from the last seconds, "
            + "on the Jin2022 and Wu2017 head-movement traces at 5 Hz; optionally with the frame at the prediction start as an image token.",
        Metric = new MetricInfo(
            "mae_deg",
            "deg",
            false,
            "mean absolute error of roll, pitch and yaw in degrees, each wrapped at 360 (min(|a-b|, |a+360-b|, |a-360-b|)), over samples x steps x axes")
        {
            Label = "MAE",
            ItemLabel = "sample",
            Components = [new("roll", "roll (deg)"), new("pitch", "pitch (deg)"), new("yaw", "yaw (deg)")],
        },
        Baselines = ["vp.lr", "vp.velocity", "vp.track", "vp.hold"],
        Data = Manifest.Attach(
        [
            new("vp/viewports/Jin2022", "*.csv", 2268, true, "NetLLM viewport_prediction/data/viewports/Jin2022 (see vp/README.md)", ValidateTrace) { Recursive = true },
            new("vp/viewports/Wu2017", "*.csv", 864, false, "NetLLM viewport_prediction/data/viewports/Wu2017 (unseen settings; see vp/README.md)", ValidateTrace) { Recursive = true },
            new("vp/README.md", null, 1, false, "notes of the vp data folder: formats, sources, licences"),
        ]),
        DataSources = Manifest.Sources,
    };

    /// <summary>The known files of the vp data folder (sizes, SHA-256, public URLs), embedded from <c>Data/data-manifest.tsv</c>.</summary>
    private static DataManifest Manifest => DataManifest.FromResource(typeof(ViewportPredictionTask).Assembly, "data-manifest.tsv");

    /// <inheritdoc />
    public IReadOnlyList<ITaskSetting> Settings => VpSettings.All;

    /// <inheritdoc />
    /// <remarks>
    /// The validation split keeps its first <see cref="VpOptions.ValidSamples"/> samples when that is set. Images are
    /// attached when the options give <see cref="VpOptions.ImageFeatures"/> or <see cref="VpOptions.Frames"/>.
    /// </remarks>
    public PredictionData<ViewportSample> Load(VpOptions options, DataSplit split, TaskContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        var watch = Stopwatch.StartNew();
        var request = VpOptionsRules.DataRequest(options, split);
        var data = ViewportDataset.Load(context.DataRoot, request, context.Cancellation);
        IReadOnlyList<ViewportSample> samples = data.Samples;
        if (split == DataSplit.Valid && options.ValidSamples > 0 && samples.Count > options.ValidSamples)
        {
            samples = samples.Take(options.ValidSamples).ToList();
        }

        if (options.ImageFeatures is { } features)
        {
            samples = ViewportImages.AttachFeatures(context.ResolvePath(features, "option --image-features"), request.Dataset, samples);
        }
        else if (options.Frames is { } frames)
        {
            samples = ViewportImages.AttachFrames(context.ResolvePath(frames, "option --frames"), request.Dataset, samples);
        }

        var pairs = request.Pairs();
        var provenance = new JsonObject
        {
            ["dataset"] = request.Dataset.Name,
            ["split"] = request.Split.ToString().ToLowerInvariant(),
            ["history"] = request.Window.History,
            ["future"] = request.Window.Future,
            ["trim_head"] = request.Window.TrimHead,
            ["trim_tail"] = request.Window.TrimTail,
            ["step"] = request.Window.Step,
            ["videos"] = new JsonArray(pairs.Select(p => p.Video).Distinct().Select(v => (JsonNode?)v).ToArray()),
            ["viewers"] = new JsonArray(pairs.Select(p => p.Viewer).Distinct().Select(v => (JsonNode?)v).ToArray()),
            ["files"] = data.Files,
            ["tolerated_time_reversals"] = data.ToleratedTimeReversals,
            ["samples"] = samples.Count,
            ["image_features"] = options.ImageFeatures,
            ["frames"] = options.Frames,
            ["load_s"] = watch.Elapsed.TotalSeconds,
        };
        return new PredictionData<ViewportSample>(samples, provenance);
    }

    /// <inheritdoc />
    public VpHistory InputOf(ViewportSample sample) => VpHistory.From(sample);

    /// <inheritdoc />
    public RunScore Score(IReadOnlyList<ViewportSample> samples, IReadOnlyList<VpPrediction> predictions, ScoringContext context) =>
        ViewportScoring.Score(samples, predictions, context);

    /// <inheritdoc />
    public PredictionModelDesign<ViewportSample, VpHistory, VpPrediction> DesignModel(VpModelOptions options) => VpModelDesign.For(options);

    /// <inheritdoc />
    public JsonObject RunBenchmark(VpOptions options, TaskContext context, bool quick) => ViewportBenchmark.Run(this, options, context, quick);

    /// <summary>Format check of one trace file for <c>netllm data check</c>.</summary>
    /// <param name="path">A trace file.</param>
    public static string? ValidateTrace(string path)
    {
        try
        {
            var trace = ViewportCsvReader.Read(path);
            return trace.Rows < 30 ? string.Create(CultureInfo.InvariantCulture, $"{path}: only {trace.Rows} rows (history + future = 30)") : null;
        }
        catch (InvalidDataException e)
        {
            return e.Message;
        }
    }
}
