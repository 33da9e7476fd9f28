using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.IO;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Core.Adaptation;

/// <summary>
/// The optimisation loop shared by every task and backbone: shuffled mini-batches per epoch, AdamW with linear
/// warm-up, gradient accumulation and clipping, a metrics log, periodic atomic checkpoints and exact resumption.
/// <para>
/// Reproducibility: the batch order of epoch e comes from a generator seeded with (seed, e) and torch's generator is
/// re-seeded with (seed, step) before every optimiser step, so a run interrupted at any checkpoint and resumed ends
/// with the same weights as an uninterrupted run with the same seed.
/// </para>
/// </summary>
public sealed class TrainingLoop
{
    /// <summary>Trainer state file inside a checkpoint.</summary>
    public const string StateFile = "trainer_state.json";

    /// <summary>Optimiser state file inside a checkpoint.</summary>
    public const string OptimizerFile = "optimizer.bin";

    private readonly AdaptationOptions _options;
    private readonly int _seed;
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly RunDirectory _run;
    private readonly Action<string> _saveWeights;
    private readonly Action<string> _loadWeights;

    /// <summary>Creates the loop.</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="seed">Run seed.</param>
    /// <param name="parameters">Trainable parameters.</param>
    /// <param name="run">Run folder (checkpoints, metrics).</param>
    /// <param name="saveWeights">Writes the trainable weights into a folder.</param>
    /// <param name="loadWeights">Reads them back from a folder.</param>
    public TrainingLoop(AdaptationOptions options, int seed, IReadOnlyList<Parameter> parameters, RunDirectory run, Action<string> saveWeights, Action<string> loadWeights)
    {
        _options = options;
        _seed = seed;
        _parameters = parameters;
        _run = run;
        _saveWeights = saveWeights;
        _loadWeights = loadWeights;
    }

    /// <summary>What a finished (or stopped) loop reports.</summary>
    /// <param name="Steps">Optimiser steps done.</param>
    /// <param name="Epochs">Epochs completed.</param>
    /// <param name="LastLoss">Mean loss over the last logged interval.</param>
    /// <param name="ItemsPerSecond">Training items (windows or samples) per second, this process.</param>
    /// <param name="BestMetric">Best evaluation metric (when evaluated).</param>
    /// <param name="BestEpoch">Epoch of the best metric.</param>
    /// <param name="Stopped">True when stopped by <c>--max-steps</c>.</param>
    public sealed record Summary(long Steps, int Epochs, double LastLoss, double ItemsPerSecond, double? BestMetric, int? BestEpoch, bool Stopped);

    /// <summary>Runs the loop.</summary>
    /// <param name="itemCount">Training items per epoch.</param>
    /// <param name="loss">Loss of a mini-batch of item indices (scalar, owned by the caller).</param>
    /// <param name="evaluate">Evaluation after an epoch (higher is better), or null.</param>
    /// <param name="progress">Progress sink.</param>
    /// <param name="cancellation">Cancellation: a checkpoint is written at the next optimiser step, then it throws.</param>
    public Summary Run(int itemCount, Func<int[], Tensor> loss, Func<int, double>? evaluate, IProgressSink progress, CancellationToken cancellation)
    {
        if (itemCount == 0)
        {
            throw new InvalidOperationException("nothing to train on: the dataset has no items");
        }

        var batchesPerEpoch = (itemCount + _options.BatchSize - 1) / _options.BatchSize;
        var stepsPerEpoch = (batchesPerEpoch + _options.GradAccumulation - 1) / _options.GradAccumulation;
        using var optimizer = optim.AdamW(_parameters, lr: _options.LearningRate, weight_decay: _options.WeightDecay);
        var state = new LoopState();
        if (_options.Resume && _run.HasCheckpoint)
        {
            state = LoadCheckpoint(optimizer);
            _run.TruncateMetricsAfter(state.Step);
        }

        var clock = Stopwatch.StartNew();
        long items = 0;
        double intervalLoss = 0;
        var intervalBatches = 0;
        var lastLoss = double.NaN;
        var totalSteps = (long)stepsPerEpoch * _options.Epochs;
        if (_options.MaxSteps > 0)
        {
            totalSteps = Math.Min(totalSteps, _options.MaxSteps);
        }

        using var bar = progress.Start("adapt", totalSteps);
        bar.Advance(state.Step);
        var logEvery = Math.Max(1, stepsPerEpoch / 10);
        for (var epoch = state.Epoch; epoch < _options.Epochs; epoch++)
        {
            var order = Permutation(itemCount, epoch);
            var batch = state.Epoch == epoch ? state.BatchInEpoch : 0;
            state.BatchInEpoch = 0;
            while (batch < batchesPerEpoch)
            {
                if (_options.MaxSteps > 0 && state.Step >= _options.MaxSteps)
                {
                    SaveCheckpoint(optimizer, state with { Epoch = epoch, BatchInEpoch = batch });
                    return new Summary(state.Step, epoch, lastLoss, items / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), state.BestMetric, state.BestEpoch, Stopped: true);
                }

                manual_seed(StepSeed(state.Step));
                optimizer.zero_grad();
                double stepLoss = 0;
                var micro = 0;
                for (; micro < _options.GradAccumulation && batch < batchesPerEpoch; micro++, batch++)
                {
                    var start = batch * _options.BatchSize;
                    var indices = order.AsSpan(start, Math.Min(_options.BatchSize, itemCount - start)).ToArray();
                    using var scope = NewDisposeScope();
                    var value = loss(indices);
                    var scaled = _options.GradAccumulation > 1 ? value.div(_options.GradAccumulation) : value;
                    scaled.backward();
                    stepLoss += value.item<float>();
                    items += indices.Length;
                }

                if (_options.GradClip > 0)
                {
                    nn.utils.clip_grad_norm_(_parameters, _options.GradClip);
                }

                var lr = _options.LearningRate * LrFactor(state.Step);
                foreach (var group in optimizer.ParamGroups)
                {
                    group.LearningRate = lr;
                }

                optimizer.step();
                state.Step++;
                var meanLoss = stepLoss / micro;
                intervalLoss += meanLoss;
                intervalBatches++;
                lastLoss = meanLoss;
                bar.Advance(1, string.Create(CultureInfo.InvariantCulture, $"loss {meanLoss:0.0000} | {items / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):0.0} items/s"));
                if (state.Step % logEvery == 0)
                {
                    _run.AppendMetrics(new JsonObject
                    {
                        ["step"] = state.Step,
                        ["epoch"] = epoch,
                        ["loss"] = intervalLoss / intervalBatches,
                        ["lr"] = lr,
                        ["items_per_s"] = items / Math.Max(clock.Elapsed.TotalSeconds, 1e-9),
                    });
                    lastLoss = intervalLoss / intervalBatches;
                    intervalLoss = 0;
                    intervalBatches = 0;
                }

                var epochDone = batch >= batchesPerEpoch;
                if ((_options.CheckpointEvery > 0 && state.Step % _options.CheckpointEvery == 0 && !epochDone) || cancellation.IsCancellationRequested)
                {
                    SaveCheckpoint(optimizer, state with { Epoch = epoch, BatchInEpoch = batch });
                    cancellation.ThrowIfCancellationRequested();
                }
            }

            if (evaluate is not null)
            {
                var metric = evaluate(epoch);
                _run.AppendMetrics(new JsonObject { ["step"] = state.Step, ["epoch"] = epoch, ["eval"] = metric });
                if (state.BestMetric is null || metric > state.BestMetric)
                {
                    state.BestMetric = metric;
                    state.BestEpoch = epoch;
                    AtomicFile.WriteDirectory(_run.BestCheckpoint, dir => _saveWeights(dir));
                }
            }

            SaveCheckpoint(optimizer, state with { Epoch = epoch + 1, BatchInEpoch = 0 });
        }

        return new Summary(state.Step, _options.Epochs, lastLoss, items / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), state.BestMetric, state.BestEpoch, Stopped: false);
    }

    /// <summary>Learning-rate factor at optimiser step <paramref name="step"/>: <c>min((step + 1) / warmup, 1)</c>.</summary>
    /// <param name="step">Zero-based step.</param>
    public double LrFactor(long step) => _options.WarmupSteps <= 0 ? 1.0 : Math.Min((step + 1.0) / _options.WarmupSteps, 1.0);

    private long StepSeed(long step) => unchecked((_seed * 1_000_003L) + step);

    private int[] Permutation(int count, int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(unchecked((_seed * 7919) + epoch)).Shuffle(order);
        return order;
    }

    private void SaveCheckpoint(optim.Optimizer optimizer, LoopState state)
    {
        AtomicFile.WriteDirectory(_run.LastCheckpoint, dir =>
        {
            _saveWeights(dir);
            AtomicFile.Write(Path.Combine(dir, OptimizerFile), stream =>
            {
                using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
                ((AdamW)optimizer).save_state_dict(writer);
            });
            AtomicFile.WriteAllText(Path.Combine(dir, StateFile), new JsonObject
            {
                ["epoch"] = state.Epoch,
                ["batch_in_epoch"] = state.BatchInEpoch,
                ["step"] = state.Step,
                ["best_metric"] = state.BestMetric,
                ["best_epoch"] = state.BestEpoch,
                ["seed"] = _seed,
            }.ToJsonString());
        });
    }

    private LoopState LoadCheckpoint(optim.Optimizer optimizer)
    {
        var dir = _run.LastCheckpoint;
        var statePath = Path.Combine(dir, StateFile);
        var json = JsonNode.Parse(File.ReadAllText(statePath)) as JsonObject ?? throw new InvalidDataException($"{statePath}: not a JSON object");
        var seed = json["seed"]?.GetValue<int>();
        if (seed != _seed)
        {
            throw new ArgumentException($"{statePath}: the checkpoint was written with seed {seed}; resume with seed {seed}");
        }

        _loadWeights(dir);
        using (var stream = File.OpenRead(Path.Combine(dir, OptimizerFile)))
        using (var reader = new BinaryReader(stream))
        {
            ((AdamW)optimizer).load_state_dict(reader);
        }

        return new LoopState
        {
            Epoch = json["epoch"]!.GetValue<int>(),
            BatchInEpoch = json["batch_in_epoch"]!.GetValue<int>(),
            Step = json["step"]!.GetValue<long>(),
            BestMetric = json["best_metric"]?.GetValue<double>(),
            BestEpoch = json["best_epoch"]?.GetValue<int>(),
        };
    }

    private sealed record LoopState
    {
        public int Epoch { get; set; }

        public int BatchInEpoch { get; set; }

        public long Step { get; set; }

        public double? BestMetric { get; set; }

        public int? BestEpoch { get; set; }
    }
}
