using NetLlm.Abstractions.Backbones;
using NetLlm.Abstractions.Tasks;
using NetLlm.Backbones.Llama;
using NetLlm.Core.Adaptation;
using NetLlm.Core.Engine;
using NetLlm.Core.IO;
using NetLlm.Core.Options;
using NetLlm.Tasks.JobScheduling.Model;
using NetLlm.Testing;

namespace NetLlm.Tasks.JobScheduling.Tests;

/// <summary>RL_Collect, Adapt and Test of NetLLM on CJS through the engine, end to end on a tiny backbone.</summary>
public sealed class CjsAdaptationTests : IDisposable
{
    private const string Preset = "llama-test-2x32";

    private const string Config = """
        {"architectures":["LlamaForCausalLM"],"hidden_act":"silu","hidden_size":32,"intermediate_size":64,
         "max_position_embeddings":2048,"model_type":"llama","num_attention_heads":4,"num_hidden_layers":2,
         "num_key_value_heads":2,"rms_norm_eps":1e-06,"rope_theta":10000.0,"tie_word_embeddings":false,"vocab_size":16}
        """;

    private static readonly CjsTask Task = new();
    private static readonly OptionInput[] Small = [In("jobs", 6), In("executors", 8)];
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static OptionInput In(string name, object value) => new(name, value, "test");

    private static VerbRequest Request(TaskVerb verb, string? output, IReadOnlyList<OptionInput> options, params string[] policies) => new()
    {
        Task = Task,
        Context = new TaskContext { Verb = verb, DataRoot = TestPaths.DataRoot, Seed = 3 },
        Registry = CjsTestData.Registry(Task, backbones: [new WithPreset(new LlamaProvider())]),
        TaskOptions = options,
        Policies = policies,
        Output = output,
    };

    [DataFact("cjs")]
    public void CollectAdaptTest_RunsEndToEnd()
    {
        var pool = Path.Combine(_dir.Path, "pool.safetensors");

        var collect = TaskEngine.Run(Request(TaskVerb.Collect, pool, [.. Small, In("episodes", 2)], "cjs.decima", "cjs.fair"));

        var steps = collect.Runs.Sum(r => r.Details!["steps"]!.GetValue<int>());
        Assert.True(File.Exists(pool));
        var loaded = ExperiencePool.Load(pool);
        Assert.Equal(steps, loaded.Count);
        Assert.Equal(4, loaded.Dones.Count(d => d));
        Assert.Equal([3, 4], collect.Runs.Select(r => r.Seed));
        var states = loaded.States(Task.States);
        Assert.All(Enumerable.Range(0, loaded.Count), i =>
        {
            var a = loaded.ActionAt(i);
            Assert.True(a[0] == CjsChoices.NoStage || a[0] < states[i].SchedulableCount);
        });

        var run = Path.Combine(_dir.Path, "run");
        var adaptation = new AdaptationOptions { Pool = pool, BackbonePreset = Preset, Rank = 4, Window = 4, Epochs = 1, BatchSize = 4, WarmupSteps = 0 };
        var adapt = TaskEngine.Run(Request(TaskVerb.Adapt, run, Small) with
        {
            Adaptation = adaptation,
            ModelOptions = [In("sfd", 16)],
            Encoders = [new EncoderChoice(CjsTokenizer.StateSlot, null, [In("hidden", 8)])],
        });
        Assert.Equal("completed", adapt.Runs[0].Details!["status"]!.GetValue<string>());
        var manifest = new RunDirectory(run).ReadManifest();
        Assert.Equal(16, manifest["model"]!["options"]!["sfd"]!.GetValue<int>());
        Assert.Equal("encoder.dag-gnn", manifest["model"]!["encoders"]!["state_encoder"]!["id"]!.GetValue<string>());
        Assert.Equal(8, manifest["model"]!["encoders"]!["state_encoder"]!["options"]!["hidden"]!.GetValue<int>());
        using (var weights = SafetensorsFile.Open(Path.Combine(run, "model.safetensors")))
        {
            Assert.Equal([8L, 5], weights.Entries["task.state_encoder.node_encoder.mlp_prep.0.weight"].Shape);
            Assert.Equal([32L, 5 + (3 * 16)], weights.Entries["task.embed_stage_state.weight"].Shape);
            Assert.Contains("task.stage_action_head2.weight", weights.Entries.Keys);
            Assert.Contains("task.exec_action_head.bias", weights.Entries.Keys);
        }

        var test = Assert.Single(TaskEngine.Run(Request(TaskVerb.Test, null, Small, run)).Runs);

        // Three optimiser steps do not make a scheduler: the run may idle every executor ("no stage") and be cut short.
        var details = test.Score!.Details!;
        Assert.Equal(6, details["per_job"]!.AsArray().Count);
        var completed = details["jobs_completed"]!.GetValue<int>();
        Assert.True(completed == 6 || details["truncated_episodes"]!.GetValue<int>() == 1);
        Assert.True(test.Score.Metric > 0);
        Assert.Equal(Path.GetFullPath(run), Path.GetFullPath(test.Policy));
    }

    [DataFact("cjs")]
    public void AlwaysStage_RefusesAPoolWithNoStageActions_NamingThePoolAndStep()
    {
        var pool = Path.Combine(_dir.Path, "fair.safetensors");
        TaskEngine.Run(Request(TaskVerb.Collect, pool, [.. Small, In("episodes", 2)], "cjs.fair"));
        var loaded = ExperiencePool.Load(pool);
        Assert.Contains(Enumerable.Range(0, loaded.Count), i => loaded.ActionAt(i)[0] == CjsChoices.NoStage);

        var adaptation = new AdaptationOptions { Pool = pool, BackbonePreset = Preset, Rank = 4, Window = 4, Epochs = 1, BatchSize = 64, WarmupSteps = 0 };
        var e = Assert.Throws<InvalidDataException>(() => TaskEngine.Run(Request(TaskVerb.Adapt, Path.Combine(_dir.Path, "run"), Small) with
        {
            Adaptation = adaptation,
            ModelOptions = [In("sfd", 16), In("always-stage", true)],
            Encoders = [new EncoderChoice(CjsTokenizer.StateSlot, null, [In("hidden", 8)])],
        }));

        Assert.StartsWith($"{pool}: step ", e.Message, StringComparison.Ordinal);
        Assert.Contains($"action component 0 is {CjsChoices.NoStage}, a choice task 'cjs' does not offer", e.Message, StringComparison.Ordinal);
        var step = int.Parse(e.Message[$"{pool}: step ".Length..].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(CjsChoices.NoStage, loaded.ActionAt(step)[0]);
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
