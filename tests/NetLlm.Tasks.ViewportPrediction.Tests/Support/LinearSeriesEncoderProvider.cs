using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Options;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Tasks.ViewportPrediction.Tests.Support;

/// <summary>A test encoder plugin of modality <c>series</c> without a convolution: <c>Linear(channels · length, d)</c>, one token.</summary>
internal sealed class LinearSeriesEncoderProvider : IEncoderProvider<NoOptions>
{
    public const string EncoderId = "test.series-linear";

    public string Id => EncoderId;

    public string Modality => "series";

    public string Description => "Linear over a flattened series";

    public Type InputType => typeof(Tensor);

    public Type OutputType => typeof(Tensor);

    public IModalityEncoder Create(EncoderContext context, NoOptions options) =>
        new Encoder(checked((int)(context.ItemShape[0] * context.ItemShape[1])), context.Width);

    private sealed class Encoder : nn.Module<Tensor, Tensor>, IModalityEncoder<Tensor>
    {
#pragma warning disable IDE1006 // state-dict names
        private readonly Linear proj;
#pragma warning restore IDE1006

        public Encoder(int inputs, int width)
            : base("LinearSeries")
        {
            EmbeddingDim = width;
            proj = nn.Linear(inputs, width);
            RegisterComponents();
        }

        public string Modality => "series";

        public int EmbeddingDim { get; }

        public nn.Module Module => this;

        public Tensor Encode(Tensor input) => forward(input);

        public override Tensor forward(Tensor input) => proj.forward(input.flatten(1)).unsqueeze(1);
    }
}
