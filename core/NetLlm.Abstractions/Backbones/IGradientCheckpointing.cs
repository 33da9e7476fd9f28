namespace NetLlm.Abstractions.Backbones;

/// <summary>
/// A backbone that can trade compute for memory in training (Hugging Face's
/// <c>gradient_checkpointing_enable()</c>; the original NetLLM trains with it on): each layer keeps only its input
/// during the forward pass and recomputes its activations during the backward pass. Gradients are unchanged.
/// </summary>
public interface IGradientCheckpointing
{
    /// <summary>
    /// Whether training passes (module in training mode, gradients recorded, no KV cache) checkpoint every layer.
    /// </summary>
    bool GradientCheckpointing { get; set; }
}
