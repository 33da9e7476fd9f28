using NetLlm.Core.Modules;
using NetLlm.Abstractions.Backbones;
using NetLlm.Transformers.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Llava;

/// <summary>
/// LLaVa's projector from vision features to language-model tokens: <c>linear_2(act(linear_1(x)))</c>.
/// </summary>
public sealed class LlavaMultiModalProjector : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly AdaptableLinear linear_1;
    private readonly AdaptableLinear linear_2;
#pragma warning restore IDE1006
    private readonly Func<Tensor, Tensor> _act;

    /// <summary>Creates the projector with zero weights.</summary>
    /// <param name="visionWidth">Vision hidden width.</param>
    /// <param name="textWidth">Language-model hidden width (the output width).</param>
    /// <param name="activation">Activation name.</param>
    /// <param name="bias">Whether the layers have biases.</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device.</param>
    public LlavaMultiModalProjector(int visionWidth, int textWidth, string activation, bool bias, ScalarType dtype, Device device)
        : base("LlavaMultiModalProjector")
    {
        OutputWidth = textWidth;
        linear_1 = new AdaptableLinear(visionWidth, textWidth, bias, dtype: dtype, device: device);
        linear_2 = new AdaptableLinear(textWidth, textWidth, bias, dtype: dtype, device: device);
        _act = Activations.Get(activation, "projector_hidden_act");
        RegisterComponents();
    }

    /// <summary>Output width.</summary>
    public int OutputWidth { get; }

    /// <summary>Projects <c>[..., vision_width]</c> (borrowed) to <c>[..., text_width]</c> (new, caller owns).</summary>
    /// <param name="input">Vision features.</param>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return linear_2.forward(_act(linear_1.forward(input))).MoveToOuterDisposeScope();
    }
}
