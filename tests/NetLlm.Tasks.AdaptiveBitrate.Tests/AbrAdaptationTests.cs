using NetLlm.Abstractions.Backbones;
using NetLlm.Abstractions.Tasks;
using NetLlm.Backbones.Llama;
using NetLlm.Baselines.Abr;
using NetLlm.Core.Adaptation;
using NetLlm.Core.Plugins;
using NetLlm.Tasks.AdaptiveBitrate.Model;
using NetLlm.Testing;

namespace NetLlm.Tasks.AdaptiveBitrate.Tests;

/// <summary>RL_Collect, Adapt and Test of NetLLM on ABR through the shared loop, end to end on a tiny backbone.</summary>
public sealed class AbrAdaptationTests : IDisposable
{
    private const string Preset = "llama-test-2x32";

    private const string Config = """
        {"architectures":["LlamaForCausalLM"],"hidden_act":"silu","hidden_size":32,"intermediate_size":64,
         "max_position_embeddings":2048,"model_type":"llama","num_attention_heads":4,"num_hidden_layers":2,
         "num_key_value_heads":2,"rms_norm_eps":1e-06,"rope_theta":10000.0,"tie_word_embeddings":false,"vocab_size":16}
        """;

    private static readonly AbrTask Task = new();
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static TaskRequest Request(TaskVerb verb, string? output, Dictionary<string, string> args, string? setting, params string[] policies) => new()
    {
        Verb = verb,
        DataRoot = TestPaths.DataRoot,
        Seed = 5,
        Policies = policies,
        Setting = setting,
        Output = output,
        Arguments = new TaskArguments(args),
        Registry = new PluginRegistry(
            legacyTasks: [Task],
            legacyPolicies: [new BbaPolicyProvider(), new RobustMpcPolicyProvider(), new GenetPolicyProvider()],
            backbones: [new WithPreset(new LlamaProvider())]),
    };

    [Fact]
    public void CollectAdaptTest_RunsEndToEnd()
    {
        var pool = Path.Combine(_dir.Path, "pool.safetensors");
        var collect = Task.Run(Request(TaskVerb.Collect, pool, new() { ["trace-count"] = "2" }, null, "abr.bba", "abr.genet"));

        // The train setting by default; 47 steps per video (chunk 0 is the original's dropped default step).
        Assert.Equal(4 * 47, collect.Json["steps"]!.GetValue<int>());
        var loaded = ExperiencePool.Load(pool);
        Assert.Equal(4, loaded.Dones.Count(d => d));
        var states = loaded.States(new AbrStateCodec());
        Assert.Equal(47.0 / 48.0, states[0][5, 5], 6);
        Assert.Equal(BbaPolicy.Choose(states[3].BufferSeconds), (int)loaded.ActionAt(3)[0]);

        var run = Path.Combine(_dir.Path, "run");
        var adapt = Task.Run(Request(TaskVerb.Adapt, run, new()
        {
            ["pool"] = pool,
            ["backbone"] = Preset,
            ["rank"] = "4",
            ["w"] = "20",
            ["epochs"] = "1",
            ["batch-size"] = "4",
            ["warmup-steps"] = "0",
            ["model-settings"] = "state_feature_dim=16",
        }, null));
        Assert.Equal("completed", adapt.Json["status"]!.GetValue<string>());
        Assert.Equal(3L, adapt.Json["result"]!["steps"]!.GetValue<long>()); // 9 windows of 20 steps in 188, batches of 4

        var test = Task.Run(Request(TaskVerb.Test, null, new() { ["trace-count"] = "2", ["argmax"] = "true" }, "default", run));
        Assert.Equal(2, test.Json["n_traces"]!.GetValue<int>());
        Assert.Equal(94, test.Json["n_chunks_scored"]!.GetValue<long>());
        Assert.InRange(test.Metric!.Value, -50, 4.3);
        Assert.Equal(Path.GetFullPath(run), Path.GetFullPath(test.Json["policy"]!.GetValue<string>()));
    }

    /// <summary>The Llama provider with a tiny preset.</summary>
    private sealed class WithPreset(IBackboneProvider inner) : IBackboneProvider
    {
        public string Family => inner.Family;

        public IReadOnlyList<string> ModelTypes => inner.ModelTypes;


        public IReadOnlyList<string> DefaultLoraTargets => inner.DefaultLoraTargets;


        public bool CanLoad(string modelDirectory) => inner.CanLoad(modelDirectory);

        public IReadOnlyDictionary<string, string> Presets { get; } = new Dictionary<string, string>(inner.Presets) { [Preset] = Config };

        public IBackbone FromPretrained(string modelDirectory, BackboneLoadOptions options) => inner.FromPretrained(modelDirectory, options);

        public IBackbone FromConfig(string configJson, BackboneLoadOptions options) => inner.FromConfig(configJson, options);
    }
}
