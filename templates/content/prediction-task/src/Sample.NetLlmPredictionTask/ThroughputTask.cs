using System.Text.Json.Nodes;
using NetLlm.Abstractions.Models;
using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Tasks;
using Sample.NetLlmPredictionTask.Data;
using Sample.NetLlmPredictionTask.Model;
using Sample.NetLlmPredictionTask.Policies;
using TorchSharp;

namespace Sample.NetLlmPredictionTask;

/// <summary>
/// Throughput prediction (<c>sample-bw</c>) through the typed prediction contract: samples from trace files or
/// generated traces, split by trace into train/valid/test, scored by the mean absolute error, adapted with a bounded
/// head. The engine in NetLlm.Core runs <c>adapt</c>, <c>test</c> and <c>eval</c>; the host needs no change.
/// </summary>
public sealed class ThroughputTask : IPredictionTask<ThroughputSample, ThroughputHistory, ThroughputForecast, ThroughputOptions, ThroughputModelOptions>
{
    /// <summary>Component: MAE of the first predicted step.</summary>
    public const string FirstStep = "mae_step1";

    /// <summary>Component: MAE of the last predicted step.</summary>
    public const string LastStep = "mae_last_step";

    /// <inheritdoc />
    public TaskInfo Info { get; } = new()
    {
        Id = ThroughputConstants.TaskId,
        Title = "Throughput prediction",
        Kind = TaskKind.Prediction,
        Metric = new MetricInfo("mae_mbps", "Mbit/s", false, "mean absolute error of the predicted throughputs over all samples and predicted steps")
        {
            Label = "MAE",
            ItemLabel = "sample",
            Components = [new MetricComponent(FirstStep, "MAE, first step (Mbit/s)"), new MetricComponent(LastStep, "MAE, last step (Mbit/s)")],
        },
        Description = "Predict the next throughputs of a link from its recent history.",
        Baselines = [LastValuePolicy.PolicyId],
        Data =
        [
            new(ThroughputConstants.TracesFolder, "*", 5, true, "throughput traces, '<time_s> <Mbit/s>' per line (for example the ABR traces of the data root)", ThroughputTraceReader.Validate),
        ],
    };

    /// <inheritdoc />
    public IReadOnlyList<ITaskSetting> Settings { get; } =
    [
        new TaskSetting<ThroughputOptions>("default", "generated traces, test split", o => o with { Traces = null, Split = ThroughputSplit.Test }) { DefaultFor = VerbScope.All },
        new TaskSetting<ThroughputOptions>("traces", $"the trace files under the data root's {ThroughputConstants.TracesFolder}, test split", o => o with { Traces = ThroughputConstants.TracesFolder, Split = ThroughputSplit.Test }),
    ];

    /// <inheritdoc />
    public PredictionData<ThroughputSample> Load(ThroughputOptions options, DataSplit split, TaskContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        var traces = options.Traces is null
            ? SyntheticThroughput.Generate(options.TraceSeed, options.GeneratedTraces, options.GeneratedSamples)
            : ThroughputTraceReader.ReadFolder(context.ResolvePath(options.Traces, "option --traces"));
        var part = split switch
        {
            DataSplit.Train => ThroughputSplit.Train,
            DataSplit.Valid => ThroughputSplit.Valid,
            _ => options.Split,
        };
        var samples = ThroughputDataset.Samples(traces, part, options.Stride);
        if (samples.Count == 0)
        {
            throw new InvalidDataException($"{ThroughputConstants.TaskId}: the {part.ToString().ToLowerInvariant()} split of {traces.Count} traces has no window of {ThroughputConstants.History + ThroughputConstants.Horizon} samples");
        }

        return new PredictionData<ThroughputSample>(samples, new JsonObject
        {
            ["traces"] = options.Traces ?? "generated",
            ["split"] = part.ToString().ToLowerInvariant(),
            ["trace_count"] = traces.Count,
            ["samples"] = samples.Count,
        });
    }

    /// <inheritdoc />
    public ThroughputHistory InputOf(ThroughputSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        return sample.History;
    }

    /// <inheritdoc />
    public RunScore Score(IReadOnlyList<ThroughputSample> samples, IReadOnlyList<ThroughputForecast> predictions, ScoringContext context)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(predictions);
        if (samples.Count != predictions.Count || samples.Count == 0)
        {
            throw new ArgumentException($"{predictions.Count} predictions for {samples.Count} samples");
        }

        var items = new List<ScoredItem>(samples.Count);
        var perStep = new double[ThroughputConstants.Horizon];
        for (var i = 0; i < samples.Count; i++)
        {
            var predicted = predictions[i].Mbps;
            if (predicted.Length != ThroughputConstants.Horizon)
            {
                throw new ArgumentException($"prediction {i} holds {predicted.Length} values, expected {ThroughputConstants.Horizon}");
            }

            var error = 0.0;
            for (var k = 0; k < ThroughputConstants.Horizon; k++)
            {
                var e = Math.Abs(predicted[k] - samples[i].Future[k]);
                perStep[k] += e;
                error += e;
            }

            items.Add(new ScoredItem(samples[i].Name, error / ThroughputConstants.Horizon));
        }

        return new RunScore
        {
            Metric = items.Average(i => i.Value),
            Items = items,
            Components = new Dictionary<string, double> { [FirstStep] = perStep[0] / samples.Count, [LastStep] = perStep[^1] / samples.Count },
            Details = new JsonObject { ["values"] = samples.Count * ThroughputConstants.Horizon },
        };
    }

    /// <inheritdoc />
    public PredictionModelDesign<ThroughputSample, ThroughputHistory, ThroughputForecast> DesignModel(ThroughputModelOptions options) => new()
    {
        Encoders =
        [
            new EncoderSlot(ThroughputModel.HistorySlot, ThroughputConstants.EncoderModality, typeof(torch.Tensor), typeof(torch.Tensor), [1, ThroughputConstants.History], ThroughputConstants.EncoderId, "throughput history [1, steps], divided by max-mbps"),
        ],
        Heads = [new HeadSlot(ThroughputModel.HeadName, HeadKind.Bounded, ThroughputConstants.Horizon, "the next throughputs, [-1, 1] for [0, max-mbps]")],
        CreateModel = context => new ThroughputModel(context, options),
    };
}
