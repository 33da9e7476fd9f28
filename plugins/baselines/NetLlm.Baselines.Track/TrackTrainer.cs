using System.Diagnostics;
using NetLlm.Tasks.ViewportPrediction.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Baselines.Track;

/// <summary>
/// Trains the position branch of TRACK on viewport samples (no saliency images are available for these datasets),
/// keeping the weights of the epoch with the lowest validation loss (validated after every epoch).
/// </summary>
public static class TrackTrainer
{
    /// <summary>
    /// Trains a position-only TRACK. Returns the model (caller disposes) with the best epoch's weights and its config.
    /// </summary>
    /// <param name="train">Training samples (equal windows).</param>
    /// <param name="valid">Validation samples (equal windows).</param>
    /// <param name="options">Hyper-parameters (the model paths are not read).</param>
    /// <param name="seed">Seed of the initialisation and of the shuffling.</param>
    /// <param name="log">Receives one line per epoch, or null.</param>
    /// <param name="cancellation">Cancellation.</param>
    public static (TrackModel Model, TrackConfig Config) Train(
        IReadOnlyList<ViewportSample> train,
        IReadOnlyList<ViewportSample> valid,
        TrackOptions options,
        int seed,
        Action<string>? log = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.TrainSamples > 0 && train.Count > options.TrainSamples)
        {
            var stride = (double)train.Count / options.TrainSamples;
            train = Enumerable.Range(0, options.TrainSamples).Select(i => train[(int)(i * stride)]).ToList();
        }

        if (train.Count == 0 || valid.Count == 0)
        {
            throw new ArgumentException($"track training needs training and validation samples (got {train.Count} and {valid.Count})");
        }

        var watch = Stopwatch.StartNew();
        random.manual_seed(seed);
        var model = new TrackModel();
        try
        {
            var (trainPos, trainStart) = TrackInputs.FromHistories(train.Select(s => s.History).ToList());
            using var trainPositions = trainPos;
            using var trainStarts = trainStart;
            using var trainTargets = TrackInputs.Targets(train.Select(s => s.Future).ToList(), options.OriginalLoss);
            var (validPos, validStart) = TrackInputs.FromHistories(valid.Select(s => s.History).ToList());
            using var validPositions = validPos;
            using var validStarts = validStart;
            using var validTargets = TrackInputs.Targets(valid.Select(s => s.Future).ToList(), options.OriginalLoss);
            var horizon = train[0].FutureLength;

            using var optimizer = optim.Adam(model.parameters(), options.LearningRate);
            var shuffle = new Random(seed);
            var trainLosses = new List<double>();
            var validLosses = new List<double>();
            Dictionary<string, Tensor>? best = null;
            var bestLoss = double.PositiveInfinity;
            var bestEpoch = 0;
            for (var epoch = 1; epoch <= options.Epochs; epoch++)
            {
                model.train();
                var order = Enumerable.Range(0, train.Count).ToArray();
                shuffle.Shuffle(order);
                double lossSum = 0;
                var batches = 0;
                for (var start = 0; start < order.Length; start += options.BatchSize)
                {
                    cancellation.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    var count = Math.Min(options.BatchSize, order.Length - start);
                    var index = tensor(order.AsSpan(start, count).ToArray().Select(i => (long)i).ToArray());
                    var prediction = model.Forward(trainPositions.index_select(0, index), null, trainStarts.index_select(0, index), null, horizon);
                    var loss = nn.functional.l1_loss(prediction, trainTargets.index_select(0, index));
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                    lossSum += loss.item<float>();
                    batches++;
                }

                var validLoss = Evaluate(model, validPositions, validStarts, validTargets, horizon);
                trainLosses.Add(lossSum / batches);
                validLosses.Add(validLoss);
                log?.Invoke($"track epoch {epoch}/{options.Epochs}: train L1 {lossSum / batches:F5}, valid L1 {validLoss:F5}");
                if (validLoss < bestLoss)
                {
                    bestLoss = validLoss;
                    bestEpoch = epoch;
                    DisposeState(best);
                    best = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
                }
            }

            using (no_grad())
            {
                foreach (var (name, value) in best!)
                {
                    model.state_dict()[name].copy_(value);
                }
            }

            DisposeState(best);
            model.eval();
            var config = new TrackConfig
            {
                OriginalLoss = options.OriginalLoss,
                TrainDataset = train[0].Dataset,
                History = train[0].HistoryLength,
                Future = horizon,
                Epochs = options.Epochs,
                BestEpoch = bestEpoch,
                BestValidLoss = bestLoss,
                BatchSize = options.BatchSize,
                LearningRate = options.LearningRate,
                Seed = seed,
                TrainSamples = train.Count,
                ValidSamples = valid.Count,
                TrainSeconds = watch.Elapsed.TotalSeconds,
                TrainLoss = trainLosses,
                ValidLoss = validLosses,
            };
            return (model, config);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Mean L1 loss over a set, in batches of 512, without gradients.</summary>
    private static double Evaluate(TrackModel model, Tensor positions, Tensor starts, Tensor targets, int horizon)
    {
        model.eval();
        using var noGrad = no_grad();
        var n = positions.shape[0];
        double sum = 0;
        for (long start = 0; start < n; start += 512)
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(512, n - start);
            var prediction = model.Forward(positions.narrow(0, start, count), null, starts.narrow(0, start, count), null, horizon);
            sum += nn.functional.l1_loss(prediction, targets.narrow(0, start, count)).item<float>() * count;
        }

        return sum / n;
    }

    private static void DisposeState(Dictionary<string, Tensor>? state)
    {
        if (state is null)
        {
            return;
        }

        foreach (var t in state.Values)
        {
            t.Dispose();
        }
    }
}
