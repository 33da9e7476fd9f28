using NetLlm.Abstractions.Backbones;
using NetLlm.Abstractions.Tasks;
using NetLlm.Backbones.Llama;
using NetLlm.Baselines.Bba;
using NetLlm.Core.Adaptation;
using NetLlm.Core.Engine;
using NetLlm.Core.IO;
using NetLlm.Testing;
using static NetLlm.Tasks.AdaptiveBitrate.Tests.AbrTestRegistry;

namespace NetLlm.Tasks.AdaptiveBitrate.Tests;

/// <summary>RL_Collect, Adapt and Test of NetLLM on ABR through the engine, end to end on a tiny backbone.</summary>
public sealed class AbrAdaptationTests : IDisposable
{
    private const string Preset = "llama-test-2x32";

    private const string Config = """
        {"architectures":["LlamaForCausalLM"],"hidden_act":"silu","hidden_size":32,"intermediate_size":64,
         "max_position_embeddings":2048,"model_type":"llama","num_attention_heads":4,"num_hidden_layers":2,
         "num_key_value_heads":2,"rms_norm_eps":1e-06,"rope_theta":10000.0,"tie_word_embeddings":false,"vocab_size":16}
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static VerbRequest WithBackbone(VerbRequest request) => request with { Registry = Create(new WithPreset(new LlamaProvider())), Context = request.Context with { Seed = 5 } };

    [Fact]
    public void CollectAdaptTest_RunsEndToEnd()
    {
        var pool = Path.Combine(_dir.Path, "pool.safetensors");
        var collect = TaskEngine.Run(WithBackbone(Request(TaskVerb.Collect, ["abr.bba", "abr.genet"], [In("trace-count", 2)], output: pool)));

        // The train setting by default; 47 steps per video (chunk 0 is the original's dropped default step).
        Assert.Equal("train", collect.Setting);
        Assert.Equal([5, 6], collect.Runs.Select(r => r.Seed).ToArray());
        var loaded = ExperiencePool.Load(pool);
        Assert.Equal(4 * 47, loaded.Count);
        Assert.Equal(4, loaded.Dones.Count(d => d));
        var states = loaded.States(Abr.States);
        Assert.Equal(47.0 / 48.0, states[0][5, 5], 6);
        Assert.Equal(BbaPolicy.Choose(states[3].BufferSeconds), (int)loaded.ActionAt(3)[0]);

        var run = Path.Combine(_dir.Path, "run");
        var adaptation = new AdaptationOptions
        {
            Pool = pool,
            BackbonePreset = Preset,
            Rank = 4,
            Window = 20,
            Epochs = 1,
            BatchSize = 4,
            WarmupSteps = 0,
            EvalEpisodes = 1,
        };
        var adapt = TaskEngine.Run(WithBackbone(Request(TaskVerb.Adapt, [], output: run)) with { Adaptation = adaptation, ModelOptions = [In("state-feature-dim", 16)] });
        Assert.Equal("valid", adapt.Setting);
        var details = adapt.Runs[0].Details!;
        Assert.Equal("completed", (string)details["status"]!);
        Assert.Equal(3L, (long)details["result"]!["steps"]!); // 9 windows of 20 steps in 188, batches of 4
        Assert.NotNull(details["result"]!["best_eval"]);
        var manifest = new RunDirectory(run).ReadManifest();
        Assert.Equal(16, (int)manifest["model"]!["options"]!["state-feature-dim"]!);
        Assert.Equal("encoder.series-cnn", (string)manifest["model"]!["encoders"]!["chunk_sizes"]!["id"]!);
        Assert.Equal(6, (int)manifest["model"]!["encoders"]!["chunk_sizes"]!["options"]!["kernel"]!);
        using (var weights = SafetensorsFile.Open(Path.Combine(run, "model.safetensors")))
        {
            Assert.Contains("task.throughput.conv.weight", weights.Entries.Keys);
            Assert.Contains("task.embed_action.weight", weights.Entries.Keys);
            Assert.Contains("task.action_head.weight", weights.Entries.Keys);
        }

        var test = TaskEngine.Run(WithBackbone(Request(TaskVerb.Test, [run], [In("trace-count", 2)], setting: "default")) with { PolicyOptions = [In("argmax", true)] });
        var score = test.Runs[0].Score!;
        Assert.Equal(2, score.Items.Count);
        Assert.Equal(94, (long)score.Details!["n_chunks_scored"]!);
        Assert.InRange(score.Metric, -50, 4.3);
        Assert.Equal(Path.GetFullPath(run), Path.GetFullPath(test.Runs[0].Policy));
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
