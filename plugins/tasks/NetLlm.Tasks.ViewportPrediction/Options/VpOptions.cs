using NetLlm.Abstractions.Options;
using NetLlm.Tasks.ViewportPrediction.Data;

namespace NetLlm.Tasks.ViewportPrediction.Options;

/// <summary>
/// The options of the viewport prediction task: which dataset, split and windows the samples are cut with, where the
/// traces and the images are, how much of the validation split <c>adapt</c> evaluates, and the benchmark's knobs.
/// Ranges are checked by the host; <see cref="VpOptionsRules"/> checks the rules between options and maps them to data requests.
/// </summary>
public sealed record VpOptions
{
    private const VerbScope Data = VerbScope.Test | VerbScope.Adapt | VerbScope.Bench;

    /// <summary>The dataset (<c>Jin2022</c> or <c>Wu2017</c>, case-insensitive).</summary>
    [Option("viewport dataset: Jin2022 or Wu2017", Verbs = Data)]
    public string Dataset { get; init; } = ViewportDatasetCatalog.Jin2022.Name;

    /// <summary>The split <c>test</c> and <c>bench</c> use (adapt trains on train and validates on valid).</summary>
    [Option("split that test and bench use: train, valid or test", Verbs = VerbScope.Test | VerbScope.Bench)]
    public ViewportSplit Split { get; init; } = ViewportSplit.Test;

    /// <summary>History rows at 5 Hz.</summary>
    [Option("history rows at 5 Hz (10 = 2 s)", Minimum = 2, Maximum = 10000, Verbs = Data)]
    public int History { get; init; } = 10;

    /// <summary>Rows to predict at 5 Hz.</summary>
    [Option("rows to predict at 5 Hz (20 = 4 s)", Minimum = 1, Maximum = 10000, Verbs = Data)]
    public int Future { get; init; } = 20;

    /// <summary>Rows skipped at the start of every trace (at least <see cref="History"/>).</summary>
    [Option("rows skipped at the start of every trace (at least --history)", Minimum = 0, Maximum = 1000000, Verbs = Data)]
    public int TrimHead { get; init; } = 30;

    /// <summary>Rows skipped at the end of every trace (at least <see cref="Future"/>).</summary>
    [Option("rows skipped at the end of every trace (at least --future)", Minimum = 0, Maximum = 1000000, Verbs = Data)]
    public int TrimTail { get; init; } = 60;

    /// <summary>Rows between two samples.</summary>
    [Option("rows between two samples", Minimum = 1, Maximum = 1000000, Verbs = Data)]
    public int Step { get; init; } = 15;

    /// <summary>Videos to use instead of the split's (for every split adapt loads too), or null.</summary>
    [Option("comma-separated videos instead of the split's", Minimum = 1, Maximum = 1000, Verbs = Data)]
    public IReadOnlyList<int>? Videos { get; init; }

    /// <summary>Viewers to use instead of the split's (for every split adapt loads too), or null.</summary>
    [Option("comma-separated viewers instead of the split's", Minimum = 1, Maximum = 1000, Verbs = Data)]
    public IReadOnlyList<int>? Viewers { get; init; }

    /// <summary>Folder holding <c>Jin2022/</c> and <c>Wu2017/</c>: absolute, or relative to the data root.</summary>
    [Option("folder of the datasets (absolute, or relative to the data root)", Verbs = Data)]
    public string Viewports { get; init; } = ViewportDataRequest.DefaultViewportsFolder;

    /// <summary>
    /// Folder of precomputed image features (<c>video{V}.safetensors</c>: the image encoder's outputs, cached), or null.
    /// They bypass the model's image encoder.
    /// </summary>
    [Option("folder of precomputed image features video{V}.safetensors ('features' [frames, dim], optional 'frame_numbers'): the image encoder's outputs, cached", Verbs = Data)]
    public string? ImageFeatures { get; init; }

    /// <summary>Folder of video frames (<c>video{V}.safetensors</c>) that the model's image encoder encodes, or null.</summary>
    [Option("folder of video frames video{V}.safetensors ('frames' [frames, channels, side, side], uint8 or float in [0, 1], optional 'frame_numbers') for the image encoder", Verbs = Data)]
    public string? Frames { get; init; }

    /// <summary>Largest accepted backward step of a trace's time column, seconds.</summary>
    [Option("largest accepted backward step of a trace's time column, seconds", Minimum = 0, Maximum = 1000000, Verbs = Data)]
    public double TimeTolerance { get; init; } = ViewportCsvReader.DefaultTimeTolerance;

    /// <summary>Validation samples evaluated after every epoch by <c>adapt</c> and by <c>vp.track</c>'s training (0: all of the valid split).</summary>
    [Option("validation samples evaluated after every epoch by adapt and by vp.track's training (0: all of the valid split)", Minimum = 0, Maximum = int.MaxValue, Verbs = VerbScope.Adapt | VerbScope.Test)]
    public int ValidSamples { get; init; }

    /// <summary>Repetitions of every benchmark measurement (the best is reported).</summary>
    [Option("repetitions of every measurement, best reported", Minimum = 1, Maximum = 1000, Verbs = VerbScope.Bench)]
    public int Repeats { get; init; } = 3;

    /// <summary>Samples the benchmark predicts with each baseline (0: all of the split).</summary>
    [Option("samples predicted by each baseline (0: all of the split)", Minimum = 0, Maximum = int.MaxValue, Verbs = VerbScope.Bench)]
    public int BenchSamples { get; init; }

    /// <summary>Inputs per call for baselines that batch, in the benchmark.</summary>
    [Option("inputs per call for baselines that batch and for the NetLLM model", Minimum = 1, Maximum = 65536, Verbs = VerbScope.Bench)]
    public int BenchBatchSize { get; init; } = 64;

    /// <summary>Backbone preset of the NetLLM model's throughput measurement.</summary>
    [Option("backbone preset for the NetLLM model's throughput (random weights)", Verbs = VerbScope.Bench)]
    public string BenchBackbone { get; init; } = "llama-tiny-2x256";

    /// <summary>Samples the NetLLM model predicts in the benchmark.</summary>
    [Option("samples predicted by the NetLLM model", Minimum = 1, Maximum = int.MaxValue, Verbs = VerbScope.Bench)]
    public int BenchModelSamples { get; init; } = 256;
}
