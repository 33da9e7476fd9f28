using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Encoders.Graph;

/// <summary>
/// An MLP laid out as the original's <c>nn.Sequential</c>: linear layers at even indices, activations at odd ones,
/// so state-dict names are <c>0.weight</c>, <c>2.weight</c>, ... as in the checkpoints. Row-wise; input
/// <c>[n, in]</c>, output <c>[n, out]</c> (new tensor, caller owns).
/// </summary>
public static class GraphMlp
{
    /// <summary>Creates the MLP; the caller owns the module.</summary>
    /// <param name="shape">Widths and activation.</param>
    public static Sequential Create(MlpShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        shape.Validate();
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (var i = 0; i + 1 < shape.Widths.Count; i++)
        {
            layers.Add((layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), nn.Linear(shape.Widths[i], shape.Widths[i + 1])));
            var last = i + 2 == shape.Widths.Count;
            if (!last || shape.ActivateOutput)
            {
                nn.Module<Tensor, Tensor> act = shape.Activation == MlpActivation.Tanh ? nn.Tanh() : new NetLlm.Core.Modules.LeakyRelu(0.2);
                layers.Add((layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), act));
            }
        }

        return nn.Sequential(layers);
    }
}
