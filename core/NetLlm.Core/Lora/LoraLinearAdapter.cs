using NetLlm.Core.Modules;
using NetLlm.Abstractions.Backbones;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Core.Lora;

/// <summary>
/// The low-rank update of one linear layer: <c>delta(x) = scaling · B(A(dropout(x)))</c> with A <c>[r, in]</c>
/// initialised Kaiming-uniform (as PEFT) and B <c>[out, r]</c> zeros, so that a fresh adapter changes nothing.
/// Its modules are registered on the adapted layer as <c>lora_A</c> and <c>lora_B</c>.
/// </summary>
public sealed class LoraLinearAdapter : ILinearAdapter
{
    /// <summary>Child-module names on the adapted layer (PEFT's names).</summary>
    public static readonly string[] ChildNames = ["lora_A", "lora_B"];

    /// <summary>Creates the adapter for a layer of the given widths.</summary>
    /// <param name="name">Adapter name.</param>
    /// <param name="inFeatures">Layer input width.</param>
    /// <param name="outFeatures">Layer output width.</param>
    /// <param name="options">Rank, alpha, dropout.</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device.</param>
    public LoraLinearAdapter(string name, long inFeatures, long outFeatures, LoraOptions options, ScalarType dtype, Device device)
    {
        Name = name;
        Scaling = options.Scaling;
        A = nn.Linear(inFeatures, options.Rank, hasBias: false, device: device, dtype: dtype);
        B = nn.Linear(options.Rank, outFeatures, hasBias: false, device: device, dtype: dtype);
        using (no_grad())
        {
            nn.init.kaiming_uniform_(A.weight, a: Math.Sqrt(5));
            nn.init.zeros_(B.weight);
        }

        DropoutProbability = options.Dropout;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public bool Enabled { get; set; } = true;

    /// <summary>The factor applied to the update.</summary>
    public double Scaling { get; }

    /// <summary>Down projection <c>lora_A</c> (owned by the adapted layer once attached).</summary>
    public Linear A { get; }

    /// <summary>Up projection <c>lora_B</c> (owned by the adapted layer once attached).</summary>
    public Linear B { get; }

    /// <summary>Probability that an input element is dropped in training (PEFT's <c>lora_dropout</c>; see <see cref="InvertedDropout"/>).</summary>
    public double DropoutProbability { get; }

    /// <summary>The modules to register on the layer.</summary>
    public IEnumerable<KeyValuePair<string, nn.Module>> Children =>
    [
        new(ChildNames[0], A),
        new(ChildNames[1], B),
    ];

    /// <inheritdoc />
    /// <remarks>
    /// The update is computed in the input's dtype. Adapters on a half-precision base keep float32 weights (see
    /// <see cref="LoraModel.Apply"/>); their weights are cast to the input's dtype for the two products (autocast),
    /// so the matrix products run at the base's half-precision speed while the optimiser updates float32 weights.
    /// </remarks>
    public Tensor Delta(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = InvertedDropout.Apply(input, DropoutProbability, A.training);

        // The scaling multiplies B (out x r) rather than the delta (tokens x out): the same product, far fewer elements.
        Tensor b = B.weight;
        if (Scaling != 1.0)
        {
            b = b.mul(CachedScalars.Of(Scaling));
        }

        var a = A.weight.dtype == input.dtype ? A.weight : A.weight.to_type(input.dtype);
        b = b.dtype == input.dtype ? b : b.to_type(input.dtype);
        return nn.functional.linear(nn.functional.linear(x, a), b).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor DeltaWeight()
    {
        using var noGrad = no_grad();
        using var product = matmul(B.weight, A.weight);
        return product.mul(CachedScalars.Of(Scaling));
    }
}
