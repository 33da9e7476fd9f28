using System.Text.RegularExpressions;
using NetLlm.Abstractions.Backbones;
using NetLlm.Transformers.Checkpoints;
using NetLlm.Transformers.Modeling;

namespace NetLlm.Backbones.Llama;

/// <summary>
/// Builds, initialises and loads Llama-family models; shared by the Llama, Mistral and LLaVa plugins so that the
/// model code exists once.
/// </summary>
public static partial class LlamaModelFactory
{
    /// <summary>
    /// Checkpoint names of a Llama-family model relative to its root: base-model checkpoints lack <c>model.</c>;
    /// older exports carry rotary <c>inv_freq</c> buffers; a tied <c>lm_head.weight</c> is accepted and ignored.
    /// </summary>
    /// <param name="config">Model config.</param>
    public static CheckpointKeyMapping KeyMapping(LlamaConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var ignored = new List<Regex> { RotaryBuffer() };
        if (config.TieWordEmbeddings)
        {
            ignored.Add(TiedHead());
        }

        return new CheckpointKeyMapping { BaseModelPrefix = "model.", Ignored = ignored };
    }

    /// <summary>Creates a model with zero projections.</summary>
    /// <param name="config">Config.</param>
    /// <param name="placement">Dtype and device.</param>
    /// <param name="slidingWindow">Sliding window (Mistral), or null.</param>
    public static LlamaForCausalLM Create(LlamaConfig config, ModelPlacement placement, int? slidingWindow = null)
    {
        ArgumentNullException.ThrowIfNull(placement);
        return new LlamaForCausalLM(config, placement.DType, placement.Device, slidingWindow);
    }

    /// <summary>Seeded Hugging Face-style initialisation (N(0, initializer_range²), norm gains 1).</summary>
    /// <param name="model">The model.</param>
    /// <param name="seed">Seed.</param>
    public static void Initialize(LlamaForCausalLM model, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        WeightInitializer.Initialize(model, model.Config.InitializerRange, seed);
    }

    /// <summary>
    /// Builds a model from <paramref name="config"/> and fills it from <paramref name="directory"/> (or seeded random
    /// weights when the directory is null or <see cref="BackboneLoadOptions.RandomInit"/> is set). Caller owns it.
    /// </summary>
    /// <param name="config">Config.</param>
    /// <param name="directory">Model folder or null.</param>
    /// <param name="options">Load options.</param>
    /// <param name="slidingWindow">Sliding window (Mistral), or null.</param>
    public static LlamaForCausalLM Build(LlamaConfig config, string? directory, BackboneLoadOptions options, int? slidingWindow = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var placement = ModelPlacement.From(options);
        return PretrainedLoader.Build(() => Create(config, placement, slidingWindow), directory, options, KeyMapping(config), config.Architecture, m => Initialize(m, options.Seed));
    }

    [GeneratedRegex(@"^(model\.)?layers\.\d+\.self_attn\.rotary_emb\.inv_freq$")]
    private static partial Regex RotaryBuffer();

    [GeneratedRegex(@"^lm_head\.weight$")]
    private static partial Regex TiedHead();
}
