using NetLlm.Core.Modules;
using static TorchSharp.torch;

namespace NetLlm.Transformers.Modules;

/// <summary>
/// The activation functions named in Hugging Face configs (<c>hidden_act</c>, <c>activation_function</c>,
/// <c>projector_hidden_act</c>), with the exact formulas of <c>transformers.activations</c>.
/// </summary>
public static class Activations
{
    /// <summary>Names this implementation knows.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["relu", "gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "quick_gelu", "silu", "swish", "tanh", "sigmoid"];

    /// <summary>
    /// The activation called <paramref name="name"/>: a function from a borrowed tensor to a new one (caller owns).
    /// Throws <see cref="InvalidDataException"/> naming <paramref name="source"/> for an unknown name.
    /// </summary>
    /// <param name="name">Activation name from the config.</param>
    /// <param name="source">Config source for error messages.</param>
    public static Func<Tensor, Tensor> Get(string name, string source) => name switch
    {
        "relu" => x => nn.functional.relu(x),
        "gelu" => x => nn.functional.gelu(x),
        "gelu_new" or "gelu_pytorch_tanh" or "gelu_fast" => x => nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh),
        "quick_gelu" => QuickGelu,
        "silu" or "swish" => x => nn.functional.silu(x),
        "tanh" => x => x.tanh(),
        "sigmoid" => x => x.sigmoid(),
        _ => throw new InvalidDataException($"{source}: unknown activation '{name}' (known: {string.Join(", ", Names)})"),
    };

    /// <summary>Checks that <paramref name="name"/> is known; throws naming the source otherwise.</summary>
    /// <param name="name">Activation name.</param>
    /// <param name="source">Config source.</param>
    public static void Validate(string name, string source) => _ = Get(name, source);

    private static Tensor QuickGelu(Tensor x)
    {
        using var scaled = x.mul(CachedScalars.Of(1.702));
        using var gate = scaled.sigmoid();
        return x * gate;
    }
}
