using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Options;
using NetLlm.Core.Plugins;
using Sample.NetLlmPredictionTask.Policies;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sample.NetLlmPredictionTask.Tests;

/// <summary>
/// The registry the tests run the task in: the task, its baseline, the tiny test backbone and a stand-in for the
/// history slot's encoder (the real one comes from an encoder plugin installed next to the task; the end-to-end run
/// through <c>netllm</c> uses it).
/// </summary>
internal static class TestPlugins
{
    public static PluginRegistry Registry(ThroughputTask? task = null) => new(
        tasks: [task ?? new ThroughputTask()],
        policies: [new LastValuePolicyProvider()],
        backbones: [new TestBackboneProvider()],
        encoders: [new StandInSeriesEncoderProvider()]);
}

/// <summary>A stand-in encoder of the history slot's id and modality: <c>Linear(channels * length, d)</c>, one token.</summary>
internal sealed class StandInSeriesEncoderProvider : IEncoderProvider<NoOptions>
{
    public string Id => ThroughputConstants.EncoderId;

    public string Modality => ThroughputConstants.EncoderModality;

    public string Description => "test stand-in: Linear over the flattened series, one token";

    public Type InputType => typeof(Tensor);

    public Type OutputType => typeof(Tensor);

    public IModalityEncoder Create(EncoderContext context, NoOptions options) =>
        new Encoder(checked((int)context.ItemShape.Aggregate(1L, (a, b) => a * b)), context.Width, Modality);

    private sealed class Encoder : nn.Module<Tensor, Tensor>, IModalityEncoder<Tensor>
    {
        private readonly Linear proj;

        public Encoder(int inputs, int width, string modality)
            : base("StandInSeries")
        {
            EmbeddingDim = width;
            Modality = modality;
            proj = nn.Linear(inputs, width);
            RegisterComponents();
        }

        public string Modality { get; }

        public int EmbeddingDim { get; }

        public nn.Module Module => this;

        public Tensor Encode(Tensor input) => forward(input);

        public override Tensor forward(Tensor input) => proj.forward(input.flatten(1)).unsqueeze(1);
    }
}
