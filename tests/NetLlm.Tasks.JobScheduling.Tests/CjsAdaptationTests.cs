using NetLlm.Abstractions.Backbones;
using NetLlm.Abstractions.Tasks;
using NetLlm.Backbones.Llama;
using NetLlm.Baselines.Scheduling;
using NetLlm.Core.Adaptation;
using NetLlm.Core.Plugins;
using NetLlm.Tasks.JobScheduling.Adaptation;
using NetLlm.Tasks.JobScheduling.Definition;
using NetLlm.Testing;

namespace NetLlm.Tasks.JobScheduling.Tests;

/// <summary>RL_Collect, Adapt and Test of NetLLM on CJS through the shared loop, end to end on a tiny backbone.</summary>
public sealed class CjsAdaptationTests : IDisposable
{
    private const string Preset = "llama-test-2x32";

    private const string Config = """
        {"architectures":["LlamaForCausalLM"],"hidden_act":"silu","hidden_size":32,"intermediate_size":64,
         "max_position_embeddings":2048,"model_type":"llama","num_attention_heads":4,"num_hidden_layers":2,
         "num_key_value_heads":2,"rms_norm_eps":1e-06,"rope_theta":10000.0,"tie_word_embeddings":false,"vocab_size":16}
        """;

    private static readonly CjsTaskDefinition Task = new();
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static PluginRegistry Registry() => new(
        legacyTasks: [Task],
        legacyPolicies: [new FairPolicyProvider(), new DecimaPolicyProvider()],
        backbones: [new WithPreset(new LlamaProvider())]);

    private static TaskRequest Request(TaskVerb verb, string? output, Dictionary<string, string> args, params string[] policies) => new()
    {
        Verb = verb,
        DataRoot = TestPaths.DataRoot,
        Seed = 3,
        Policies = policies,
        Output = output,
        Arguments = new TaskArguments(args),
        Registry = Registry(),
    };

    [Fact]
    public void CollectAdaptTest_RunsEndToEnd()
    {
        var small = new Dictionary<string, string> { ["jobs"] = "6", ["executors"] = "8" };
        var pool = Path.Combine(_dir.Path, "pool.safetensors");

        var collect = Task.Run(Request(TaskVerb.Collect, pool, new(small) { ["episodes"] = "2" }, "cjs.decima", "cjs.fair"));

        var steps = collect.Json["steps"]!.GetValue<int>();
        Assert.True(File.Exists(pool));
        var loaded = ExperiencePool.Load(pool);
        Assert.Equal(steps, loaded.Count);
        Assert.Equal(4, loaded.Dones.Count(d => d));
        var states = loaded.States(new CjsTaskBinding().StateCodec);
        Assert.All(Enumerable.Range(0, loaded.Count), i =>
        {
            var a = loaded.ActionAt(i);
            Assert.True(a[0] == CjsModelSettings.NoStage || a[0] < states[i].SchedulableCount);
        });

        var run = Path.Combine(_dir.Path, "run");
        var adapt = Task.Run(Request(TaskVerb.Adapt, run, new(small)
        {
            ["pool"] = pool,
            ["backbone"] = Preset,
            ["rank"] = "4",
            ["w"] = "4",
            ["epochs"] = "1",
            ["batch-size"] = "4",
            ["warmup-steps"] = "0",
            ["model-settings"] = "sfd=16,gnn_hidden=8",
        }));
        Assert.Equal("completed", adapt.Json["status"]!.GetValue<string>());

        var test = Task.Run(Request(TaskVerb.Test, null, new(small), run));

        // Three optimiser steps do not make a scheduler: the run may idle every executor ("no stage") and be cut short.
        Assert.Equal(6, test.Json["per_job"]!.AsArray().Count);
        var completed = test.Json["jobs_completed"]!.GetValue<int>();
        Assert.True(completed == 6 || test.Json["truncated_episodes"]!.GetValue<int>() == 1);
        Assert.True(test.Metric > 0);
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
