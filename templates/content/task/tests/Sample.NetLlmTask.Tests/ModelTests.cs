using Sample.NetLlmTask.Data;
using Sample.NetLlmTask.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Sample.NetLlmTask.Tests;

/// <summary>The task model against the small test backbone: loss, gradients, predictions and learning.</summary>
public sealed class ModelTests
{
    private static readonly ThroughputWindow[] Batch =
    [
        new([1f, 1f, 1f, 1f], [1f, 1f]),
        new([4f, 3f, 2f, 1f], [0.5f, 0.5f]),
        new([2f, 2f, 3f, 3f], [3f, 3f]),
    ];

    [Fact]
    public void TrainingLoss_IsAScalarWhoseGradientReachesEncoderAndHead()
    {
        manual_seed(1);
        using var backbone = new TestBackbone(seed: 1);
        using var model = new ThroughputModel(backbone.HiddenSize, new ThroughputModelSettings());

        using var loss = model.TrainingLoss(backbone, Batch, new Random(1));
        loss.backward();

        Assert.Equal(0, loss.dim());
        Assert.True(double.IsFinite(loss.item<float>()));
        Assert.All(model.parameters(), p => Assert.NotNull(p.grad));
        Assert.Equal(loss.item<float>(), model.ValidationLoss(backbone, Batch), 5);
    }

    [Fact]
    public void Predict_ReturnsTheHorizonInMbps()
    {
        manual_seed(2);
        using var backbone = new TestBackbone(seed: 2);
        using var model = new ThroughputModel(backbone.HiddenSize, new ThroughputModelSettings(ScaleMbps: 4.0));

        using var predictions = model.Predict(backbone, Batch);

        Assert.Equal([3L, 2L], predictions.shape);
        Assert.True(predictions.ge(0).all().item<bool>());
    }

    [Fact]
    public void Training_LowersTheLossOnAFixedBatch()
    {
        manual_seed(3);
        using var backbone = new TestBackbone(seed: 3);
        using var model = new ThroughputModel(backbone.HiddenSize, new ThroughputModelSettings());
        using var optimizer = optim.Adam(model.parameters(), lr: 0.01);
        var first = model.ValidationLoss(backbone, Batch);

        for (var step = 0; step < 40; step++)
        {
            optimizer.zero_grad();
            using var loss = model.TrainingLoss(backbone, Batch, new Random(step));
            loss.backward();
            optimizer.step();
        }

        Assert.True(model.ValidationLoss(backbone, Batch) < first / 2, $"loss {first} did not halve");
    }

    [Fact]
    public void Settings_RejectAnUnknownKey()
    {
        var error = Assert.Throws<ArgumentException>(() => ThroughputModelSettings.From(new Dictionary<string, string> { ["scael"] = "3" }));

        Assert.Contains("unknown key 'scael'", error.Message);
    }

    [Fact]
    public void Batch_WithMixedHistories_IsRejected()
    {
        using var backbone = new TestBackbone(seed: 4);
        using var model = new ThroughputModel(backbone.HiddenSize, new ThroughputModelSettings());

        var error = Assert.Throws<ArgumentException>(() => model.Predict(backbone, [new([1f, 2f], [1f]), new([1f, 2f, 3f], [1f])]));

        Assert.Contains("same history", error.Message);
    }
}
