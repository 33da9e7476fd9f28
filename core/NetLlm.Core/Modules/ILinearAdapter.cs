using TorchSharp;

namespace NetLlm.Core.Modules;

/// <summary>
/// A trainable correction attached to an <see cref="AdaptableLinear"/> (LoRA is one). The adapter's modules are
/// registered as children of the linear layer, so their state-dict names follow the layer's (PEFT's
/// <c>...q_proj.lora_A.weight</c>).
/// </summary>
public interface ILinearAdapter
{
    /// <summary>Adapter name (PEFT's adapter name, <c>default</c> unless several are attached).</summary>
    string Name { get; }

    /// <summary>When false, the adapter contributes nothing to the forward pass.</summary>
    bool Enabled { get; set; }

    /// <summary>
    /// The adapter's additive contribution for input <paramref name="input"/> <c>[..., in]</c>:
    /// a new tensor <c>[..., out]</c> owned by the caller. The input is borrowed.
    /// </summary>
    /// <param name="input">Layer input.</param>
    torch.Tensor Delta(torch.Tensor input);

    /// <summary>
    /// The equivalent weight update <c>[out, in]</c> (new tensor owned by the caller, no gradient), used to merge
    /// the adapter into the base weight.
    /// </summary>
    torch.Tensor DeltaWeight();
}
