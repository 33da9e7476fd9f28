using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Baselines.Track;
using NetLlm.Core.Options;
using NetLlm.Tasks.ViewportPrediction.Evaluation;
using NetLlm.Tasks.ViewportPrediction.Options;
using NetLlm.Tasks.ViewportPrediction.Policies;
using NetLlm.Tasks.ViewportPrediction.Tests.Support;
using NetLlm.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Tasks.ViewportPrediction.Tests.Baselines;

public sealed class TrackTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void PositionOnlyModel_DecodesTheHorizonAsInputPlusDelta()
    {
        random.manual_seed(1);
        using var model = new TrackModel();
        Assert.False(model.UsesSaliency);
        using var positions = rand(4, 10, 3);
        using var start = rand(4, 1, 3);
        using var output = model.Forward(positions, null, start, null, 7);
        Assert.Equal(new long[] { 4, 7, 3 }, output.shape);
        using var longer = model.Forward(positions, null, start, null, 9);
        Assert.True((longer.narrow(1, 0, 7) - output).abs().max().item<float>() < 1e-6f);
        Assert.Equal(
            new[] { "fc_layer_out.bias", "fc_layer_out.weight", "fuse_1_dec.bias_hh_l0", "fuse_1_dec.bias_ih_l0", "fuse_1_dec.weight_hh_l0", "fuse_1_dec.weight_ih_l0", "fuse_1_enc.bias_hh_l0", "fuse_1_enc.bias_ih_l0", "fuse_1_enc.weight_hh_l0", "fuse_1_enc.weight_ih_l0", "fuse_2.bias", "fuse_2.weight", "sense_pos_dec.bias_hh_l0", "sense_pos_dec.bias_ih_l0", "sense_pos_dec.weight_hh_l0", "sense_pos_dec.weight_ih_l0", "sense_pos_enc.bias_hh_l0", "sense_pos_enc.bias_ih_l0", "sense_pos_enc.weight_hh_l0", "sense_pos_enc.weight_ih_l0" },
            model.named_parameters().Select(p => p.name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void SaliencyBranch_ReadsSyntheticImages()
    {
        random.manual_seed(2);
        using var model = new TrackModel(8, 8);
        Assert.True(model.UsesSaliency);
        Assert.Equal(new long[] { 4 * 256, 64 }, model.named_parameters().First(p => p.name == "sense_sal_enc.weight_ih_l0").parameter.shape);
        Assert.Equal(new long[] { 4 * 256, 512 }, model.named_parameters().First(p => p.name == "fuse_1_enc.weight_ih_l0").parameter.shape);
        using var positions = rand(2, 10, 3);
        using var start = positions.narrow(1, 9, 1);
        using var encoderImages = rand(new long[] { 2, 10, 8, 8, 1 });
        using var decoderImages = rand(new long[] { 2, 5, 8, 8, 1 });
        using var otherImages = decoderImages.flip(2);
        using var a = model.Forward(positions, encoderImages, start, decoderImages, 5);
        using var b = model.Forward(positions, encoderImages, start, otherImages, 5);
        Assert.Equal(new long[] { 2, 5, 3 }, a.shape);
        Assert.True((a - b).abs().max().item<float>() > 1e-6f);
        using var loss = a.abs().mean();
        loss.backward();
        Assert.True(model.named_parameters().First(p => p.name == "sense_sal_dec.weight_ih_l0").parameter.grad!.abs().sum().item<float>() > 0);

        Assert.Contains("saliency maps", Assert.Throws<ArgumentException>(() => model.Forward(positions, null, start, null, 5)).Message);
        using var wrong = rand(2, 5, 7, 7);
        Assert.Contains("[batch, 5, 8, 8(, 1)]", Assert.Throws<ArgumentException>(() => model.Forward(positions, encoderImages, start, wrong, 5)).Message);
    }

    [Fact]
    public void SaliencyModel_HasTheOriginalsLayerShapes()
    {
        // LSTM(in, 256) holds 4·256·(in + 256) weights and 2·4·256 biases; the original's maps are 224 x 224
        // (an input of 50,176 per step, 105,466,883 parameters in all); 32 x 32 keeps the test fast: 4,803,587.
        using var model = new TrackModel(32, 32);
        Assert.Equal(4_803_587L, model.parameters().Sum(p => p.numel()));
        var shapes = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal(new long[] { 1024, 1024 }, shapes["sense_sal_enc.weight_ih_l0"]);
        Assert.Equal(new long[] { 1024, 3 }, shapes["sense_pos_dec.weight_ih_l0"]);
        Assert.Equal(new long[] { 1024, 512 }, shapes["fuse_1_dec.weight_ih_l0"]);
        Assert.Equal(new long[] { 256, 256 }, shapes["fuse_2.weight"]);
        Assert.Equal(new long[] { 3, 256 }, shapes["fc_layer_out.weight"]);
    }

    [DataFact("vp")]
    public void Training_KeepsTheBestEpoch_AndTheModelRoundTripsThroughItsDirectory()
    {
        var train = VpData.Jin2022Train.Samples.Where((_, i) => i % 90 == 0).ToList();
        var valid = VpData.Jin2022Valid.Samples.Where((_, i) => i % 90 == 0).ToList();
        var options = new TrackOptions { Epochs = 3, BatchSize = 32, LearningRate = 2e-3 };
        var (model, config) = TrackTrainer.Train(train, valid, options, seed: 4);
        using var predictor = new TrackPredictor(model, config);
        Assert.Equal(3, config.ValidLoss.Count);
        Assert.Equal(config.ValidLoss.Min(), config.BestValidLoss);
        Assert.Equal(config.ValidLoss.ToList().IndexOf(config.BestValidLoss) + 1, config.BestEpoch);
        Assert.True(config.TrainLoss[^1] < config.TrainLoss[0], string.Join(", ", config.TrainLoss));
        Assert.Equal((train.Count, 4), (config.TrainSamples, config.Seed));

        var test = VpData.Jin2022Test.Samples.Take(20).ToList();
        var histories = test.Select(VpHistory.From).ToList();
        var before = predictor.ActBatch(histories);
        var single = predictor.Act(histories[3]).Angles;
        Assert.All(single.Zip(before[3].Angles), p => Assert.Equal(p.First, p.Second, 2));

        var directory = Path.Combine(_temp.Path, "track");
        TrackCheckpoint.Save(directory, model, config);
        var (loaded, loadedConfig) = TrackCheckpoint.Load(directory);
        using var reloaded = new TrackPredictor(loaded, loadedConfig);
        Assert.Equal(config.BestEpoch, loadedConfig.BestEpoch);
        var after = reloaded.ActBatch(histories);
        Assert.Equal(before.SelectMany(p => p.Angles), after.SelectMany(p => p.Angles));

        var mae = ViewportScoring.Score(test, after, new ScoringContext(reloaded.Id, "test", 1, null)).Metric;
        Assert.InRange(mae, 1, 120);
    }

    [DataFact("vp")]
    public void OriginalLoss_TrainsAgainstDegrees_AndItsOutputsAreUsedAsDegrees()
    {
        random.manual_seed(5);
        using var model = new TrackModel();
        var history = VpHistory.From(VpData.Synthetic(10, 4, 1));
        var normalizedDirectory = Path.Combine(_temp.Path, "normalized");
        var degreesDirectory = Path.Combine(_temp.Path, "degrees");
        TrackCheckpoint.Save(normalizedDirectory, model, new TrackConfig { OriginalLoss = false });
        TrackCheckpoint.Save(degreesDirectory, model, new TrackConfig { OriginalLoss = true });
        using var normalized = Create(normalizedDirectory);
        using var degrees = Create(degreesDirectory);
        var n = normalized.Act(history).Angles;
        var d = degrees.Act(history).Angles;
        float[] scales = [180f, 90f, 180f];
        for (var i = 0; i < n.Length; i++)
        {
            Assert.Equal(d[i] * scales[i % 3], n[i], 3);
        }

        var samples = VpData.Jin2022Train.Samples.Take(64).ToList();
        using var targets = TrackInputs.Targets(samples.Select(s => s.Future).ToList(), degrees: true);
        Assert.Equal(samples[0].Future[2], targets[0, 0, 2].item<float>());
        using var normalizedTargets = TrackInputs.Targets(samples.Select(s => s.Future).ToList(), degrees: false);
        Assert.Equal(samples[0].Future[1] / 90f, normalizedTargets[0, 0, 1].item<float>(), 6);
    }

    [Fact]
    public void BadModelDirectory_NamesFileAndTensor()
    {
        random.manual_seed(6);
        using var model = new TrackModel();
        var directory = Path.Combine(_temp.Path, "bad");
        TrackCheckpoint.Save(directory, model, new TrackConfig());
        using var saliencyModel = new TrackModel(4, 4);
        var wrong = Path.Combine(_temp.Path, "wrong");
        TrackCheckpoint.Save(wrong, saliencyModel, new TrackConfig());
        var e = Assert.Throws<InvalidDataException>(() => TrackCheckpoint.Load(wrong));
        Assert.Contains(Path.Combine(wrong, "model.safetensors"), e.Message);
        Assert.Contains("sense_sal_", e.Message);

        Assert.Contains("track.json", Assert.Throws<InvalidDataException>(() => TrackCheckpoint.Load(_temp.Path)).Message);
        File.WriteAllText(Path.Combine(directory, "track.json"), "{ not json");
        Assert.Contains("not a valid TRACK config", Assert.Throws<InvalidDataException>(() => TrackCheckpoint.Load(directory)).Message);
    }

    [Fact]
    public void Options_KeepTheOldNames_AndCheckTheirRanges()
    {
        var schema = OptionSchema.Of<TrackOptions>();
        Assert.Equal(["track-model", "track-save", "track-epochs", "track-lr", "track-batch", "track-train-samples", "track-original-loss"], schema.Fields.Select(f => f.Name));
        var options = (TrackOptions)schema.Apply(new TrackOptions(), [new("track-epochs", "7", "test"), new("track-lr", "0.001", "test"), new("track-original-loss", "", "test")]);
        Assert.Equal((7, 64, 0.001, true, 0), (options.Epochs, options.BatchSize, options.LearningRate, options.OriginalLoss, options.TrainSamples));
        Assert.Contains("out of range", Assert.Throws<ArgumentException>(() => schema.Apply(new TrackOptions(), [new("track-epochs", "0", "option --track-epochs")])).Message);
        Assert.Contains("option --track-batch", Assert.Throws<ArgumentException>(() => schema.Apply(new TrackOptions(), [new("track-batch", "x", "option --track-batch")])).Message);
        Assert.Contains("out of range", Assert.Throws<ArgumentException>(() => schema.Apply(new TrackOptions(), [new("track-lr", "0", "option --track-lr")])).Message);
    }

    [Fact]
    public void Provider_NeedsTheTasksOptionsToTrain()
    {
        var provider = new TrackProvider();
        Assert.Equal(("vp.track", "vp", typeof(TrackOptions)), (provider.Id, provider.TaskId, ((IPolicyProvider)provider).OptionsType));
        var e = Assert.Throws<ArgumentException>(() => provider.Create(new PolicyContext(new TaskContext { DataRoot = VpData.DataRoot }, null), new TrackOptions()));
        Assert.Contains("vp task's options", e.Message);
        var trained = provider.Create(
            new PolicyContext(new TaskContext { DataRoot = VpData.DataRoot, Seed = 2 }, new VpOptions { Videos = [1, 5], Viewers = [50] }),
            new TrackOptions { Epochs = 1, BatchSize = 8 });
        using (trained)
        {
            var info = ((IDescribedPolicy)trained).Describe();
            Assert.Equal((28, 28, 2), ((int)info["train_samples"]!, (int)info["valid_samples"]!, (int)info["seed"]!));
        }
    }

    private static TrackPredictor Create(string directory) =>
        (TrackPredictor)new TrackProvider().Create(new PolicyContext(new TaskContext { Seed = 1 }, null), new TrackOptions { Model = directory });
}
