using System.Globalization;
using NetLlm.Abstractions.Tasks;
using NetLlm.Tasks.ViewportPrediction.Data;

namespace NetLlm.Tasks.ViewportPrediction;

/// <summary>The options of the VP task's verbs, parsed from <see cref="TaskArguments"/>.</summary>
public sealed record ViewportTaskOptions
{
    /// <summary>The options the task declares (names without dashes).</summary>
    public static IReadOnlyList<TaskOptionSpec> Specs { get; } = BuildSpecs();

    /// <summary>What to load.</summary>
    public required ViewportDataRequest Data { get; init; }

    /// <summary>Use only the first N samples (0 = all).</summary>
    public int Limit { get; init; }

    /// <summary>Histories per call for predictors that batch.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Folder of precomputed image features (<see cref="ViewportImageFeatures"/>), or null.</summary>
    public string? ImageFeatures { get; init; }

    /// <summary>
    /// The samples with their image features attached when <see cref="ImageFeatures"/> is set (relative paths are
    /// under the data root); otherwise the samples unchanged.
    /// </summary>
    /// <param name="dataRoot">Data root.</param>
    /// <param name="samples">Samples of <see cref="Data"/>'s dataset.</param>
    public IReadOnlyList<ViewportSample> WithImages(string? dataRoot, IReadOnlyList<ViewportSample> samples)
    {
        if (ImageFeatures is null)
        {
            return samples;
        }

        var folder = Path.IsPathRooted(ImageFeatures) || string.IsNullOrEmpty(dataRoot) ? ImageFeatures : Path.Combine(dataRoot, ImageFeatures);
        return ViewportImageFeatures.Attach(folder, Data.Dataset, samples);
    }

    /// <summary>Parses the options; errors name the option.</summary>
    /// <param name="arguments">Merged option values.</param>
    public static ViewportTaskOptions Parse(TaskArguments arguments)
    {
        var dataset = ViewportDatasetCatalog.Get(arguments.Text("dataset", "Jin2022")!);
        var split = ViewportDatasetCatalog.ParseSplit(arguments.Text("split", "test")!);
        var window = new ViewportWindow(
            arguments.Integer("history", 10),
            arguments.Integer("future", 20),
            arguments.Integer("trim-head", 30),
            arguments.Integer("trim-tail", 60),
            arguments.Integer("step", 15)).Validate();
        var tolerance = arguments.Real("time-tolerance", ViewportCsvReader.DefaultTimeTolerance);
        if (tolerance < 0)
        {
            throw new ArgumentException($"option --time-tolerance: {tolerance} must not be negative");
        }

        var limit = arguments.Integer("limit", 0);
        var batch = arguments.Integer("batch-size", 64);
        if (limit < 0)
        {
            throw new ArgumentException($"option --limit: {limit} must not be negative");
        }

        if (batch < 1)
        {
            throw new ArgumentException($"option --batch-size: {batch} must be positive");
        }

        return new ViewportTaskOptions
        {
            Data = new ViewportDataRequest
            {
                ViewportsFolder = arguments.Text("viewports", ViewportDataRequest.DefaultViewportsFolder)!,
                Dataset = dataset,
                Split = split,
                Videos = IntList(arguments, "videos"),
                Viewers = IntList(arguments, "viewers"),
                Window = window,
                TimeTolerance = tolerance,
            },
            Limit = limit,
            BatchSize = batch,
            ImageFeatures = arguments.Text("image-features"),
        };
    }

    private static int[]? IntList(TaskArguments arguments, string name)
    {
        var text = arguments.Text(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
                ? v
                : throw new ArgumentException($"option --{name}: '{p}' is not an integer (expected a comma-separated list)"))
            .ToArray();
    }

    private static List<TaskOptionSpec> BuildSpecs()
    {
        TaskVerb[] data = [TaskVerb.Test, TaskVerb.Bench, TaskVerb.Adapt];
        TaskVerb[] test = [TaskVerb.Test, TaskVerb.Bench];
        return
        [
            new("dataset", "viewport dataset: Jin2022 or Wu2017 (default Jin2022)", OptionKind.Text, data),
            new("split", "split: train, valid or test (default test)", OptionKind.Text, data),
            new("history", "history rows at 5 Hz (default 10 = 2 s)", OptionKind.Integer, data),
            new("future", "rows to predict at 5 Hz (default 20 = 4 s)", OptionKind.Integer, data),
            new("trim-head", "rows skipped at the start of every trace (default 30)", OptionKind.Integer, data),
            new("trim-tail", "rows skipped at the end of every trace (default 60)", OptionKind.Integer, data),
            new("step", "rows between two samples (default 15)", OptionKind.Integer, data),
            new("videos", "comma-separated videos instead of the split's", OptionKind.Text, data),
            new("viewers", "comma-separated viewers instead of the split's", OptionKind.Text, data),
            new("viewports", "folder of the datasets (default vp/viewports under the data root)", OptionKind.Text, data),
            new("image-features", "folder of precomputed image features video{V}.safetensors ('features' [frames, dim]) for the multimodal model", OptionKind.Text, data),
            new("time-tolerance", "largest accepted backward step of a trace's time column, seconds (default 1)", OptionKind.Real, data),
            new("limit", "use only the first N samples (default all)", OptionKind.Integer, test),
            new("batch-size", "histories per call for batching predictors (default 64)", OptionKind.Integer, test),
            new("valid-samples", "adapt: validation samples evaluated after every epoch (default all of the valid split)", OptionKind.Integer, [TaskVerb.Adapt]),
            new("bench-backbone", "bench: backbone preset for the NetLLM model throughput (default llama-tiny-2x256)", OptionKind.Text, [TaskVerb.Bench]),
            new("bench-model-samples", "bench: samples predicted by the NetLLM model (default 256)", OptionKind.Integer, [TaskVerb.Bench]),
            new("repeats", "bench: repetitions of every measurement, best reported (default 3)", OptionKind.Integer, [TaskVerb.Bench]),
            new("track-model", "vp.track: a trained TRACK model directory to load (otherwise TRACK is trained first)", OptionKind.Text, test),
            new("track-save", "vp.track: directory to save the TRACK model trained for this run", OptionKind.Text, test),
            new("track-epochs", "vp.track: training epochs when no model is given (default 5)", OptionKind.Integer, test),
            new("track-lr", "vp.track: Adam learning rate (default 5e-4)", OptionKind.Real, test),
            new("track-batch", "vp.track: training batch size (default 64)", OptionKind.Integer, test),
            new("track-train-samples", "vp.track: train on an evenly strided subset of at most N samples (default all)", OptionKind.Integer, test),
            new("track-original-loss", "vp.track: train as the original (L1 of normalised predictions against degrees)", OptionKind.Flag, test),
        ];
    }
}
