using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Transformers.Modules;

/// <summary>
/// A lookup table <c>weight</c> <c>[rows, dim]</c> (state-dict name <c>weight</c>, as <c>nn.Embedding</c>) whose parameter
/// is allocated directly on the target device and left uninitialised: checkpoints overwrite it and
/// <see cref="Modeling.WeightInitializer"/> fills it, so building a 7B model on the <c>meta</c> device costs nothing
/// (TorchSharp's <c>nn.Embedding</c> initialises on the CPU first).
/// </summary>
public sealed class EmbeddingTable : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly Parameter weight;
#pragma warning restore IDE1006

    /// <summary>Creates the table (uninitialised values).</summary>
    /// <param name="rows">Number of rows (vocabulary or positions).</param>
    /// <param name="dim">Row width.</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device (may be <c>meta</c>).</param>
    public EmbeddingTable(long rows, long dim, ScalarType dtype = ScalarType.Float32, Device? device = null)
        : base(nameof(EmbeddingTable))
    {
        weight = new Parameter(empty(rows, dim, dtype: dtype, device: device));
        RegisterComponents();
    }

    /// <summary>The table (owned by this module).</summary>
    public Parameter Weight => weight;

    /// <summary>Rows of <see cref="Weight"/> for integer <paramref name="indices"/> (borrowed): new tensor <c>[..., dim]</c>.</summary>
    /// <param name="indices">Row indices, any shape.</param>
    public override Tensor forward(Tensor indices)
    {
        using var flat = indices.reshape(-1);
        using var rows = weight.index_select(0, flat);
        return rows.reshape([.. indices.shape, weight.shape[1]]);
    }
}
