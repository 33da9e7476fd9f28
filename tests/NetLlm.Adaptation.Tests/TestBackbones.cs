using NetLlm.Abstractions.Backbones;
using NetLlm.Backbones.Gpt2;
using NetLlm.Backbones.Llama;
using NetLlm.Core.Plugins;

namespace NetLlm.Adaptation.Tests;

/// <summary>Small backbones for fast tests, and a registry that knows them as presets.</summary>
internal static class TestBackbones
{
    public const string LlamaPreset = "llama-test-2x32";
    public const string Gpt2Preset = "gpt2-test-2x32";

    public const string LlamaConfig = """
        {"architectures":["LlamaForCausalLM"],"hidden_act":"silu","hidden_size":32,"intermediate_size":64,
         "max_position_embeddings":512,"model_type":"llama","num_attention_heads":4,"num_hidden_layers":2,
         "num_key_value_heads":2,"rms_norm_eps":1e-06,"rope_theta":10000.0,"tie_word_embeddings":false,"vocab_size":16}
        """;

    public const string Gpt2Config = """
        {"architectures":["GPT2LMHeadModel"],"model_type":"gpt2","n_embd":32,"n_head":4,"n_layer":2,"n_positions":512,
         "vocab_size":16,"n_inner":null,"activation_function":"gelu_new","resid_pdrop":0.0,"embd_pdrop":0.0,"attn_pdrop":0.0,
         "layer_norm_epsilon":1e-05,"scale_attn_weights":true}
        """;

    public static IBackbone Llama(int seed = 3) =>
        new LlamaProvider().FromConfig(LlamaConfig, new BackboneLoadOptions { RandomInit = true, Seed = seed });

    public static IBackbone Gpt2(int seed = 3) =>
        new Gpt2Provider().FromConfig(Gpt2Config, new BackboneLoadOptions { RandomInit = true, Seed = seed });

    public static PluginRegistry Registry() => new(backbones: [new WithPreset(new LlamaProvider(), LlamaPreset, LlamaConfig), new WithPreset(new Gpt2Provider(), Gpt2Preset, Gpt2Config)]);

    /// <summary>A provider with one extra preset.</summary>
    private sealed class WithPreset(IBackboneProvider inner, string name, string config) : IBackboneProvider
    {
        public string Family => inner.Family;

        public IReadOnlyList<string> ModelTypes => inner.ModelTypes;


        public IReadOnlyList<string> DefaultLoraTargets => inner.DefaultLoraTargets;


        public bool CanLoad(string modelDirectory) => inner.CanLoad(modelDirectory);

        public IReadOnlyDictionary<string, string> Presets { get; } = new Dictionary<string, string>(inner.Presets) { [name] = config };

        public IBackbone FromPretrained(string modelDirectory, BackboneLoadOptions options) => inner.FromPretrained(modelDirectory, options);

        public IBackbone FromConfig(string configJson, BackboneLoadOptions options) => inner.FromConfig(configJson, options);
    }
}
