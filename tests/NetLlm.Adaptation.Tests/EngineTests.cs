using System.Text.Json.Nodes;
using NetLlm.Abstractions.Tasks;
using NetLlm.Adaptation.Tests.Toy;
using NetLlm.Core.Adaptation;
using NetLlm.Core.Engine;
using NetLlm.Core.IO;
using NetLlm.Core.Options;
using NetLlm.Core.Plugins;

namespace NetLlm.Adaptation.Tests;

/// <summary>
/// The engine on a task written against the typed contracts only (the toy task): collect, adapt, test, resume, the
/// JSON shape, settings, policies and encoder slots through the registry.
/// </summary>
public sealed partial class EngineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("netllm-engine-").FullName;
    private readonly ToyDecisionTask _task = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private PluginRegistry Registry() => new(
        tasks: [_task],
        policies: [new ToyPolicyProvider("toy.random", 0.0, 1), new ToyPolicyProvider("toy.expert", 0.7, 2)],
        backbones: TestBackbones.Registry().Backbones,
        encoders: [new OneHotEncoderProvider()]);

    private VerbRequest Request(TaskVerb verb, string? output = null, string? setting = null, IReadOnlyList<OptionInput>? options = null, params string[] policies) => new()
    {
        Task = _task,
        Context = new TaskContext { Verb = verb, Seed = 17 },
        Registry = Registry(),
        Setting = setting,
        TaskOptions = options ?? [],
        Policies = policies,
        Output = output,
    };

    private static OptionInput In(string name, object value) => new(name, value, "test");

    private AdaptationOptions Adaptation(string pool, int epochs) => new()
    {
        Pool = pool,
        BackbonePreset = TestBackbones.LlamaPreset,
        Rank = 8,
        Epochs = epochs,
        BatchSize = 16,
        LearningRate = 2e-3,
        WarmupSteps = 10,
        Window = 4,
        GradClip = 1.0,
        LoraDropout = 0,
    };

    private string Collect(string setting, int episodes)
    {
        var pool = Path.Combine(_dir, $"pool-{setting}.safetensors");
        var result = TaskEngine.Run(Request(TaskVerb.Collect, pool, setting, [In("episodes", episodes)], "toy.random", "toy.expert"));
        Assert.Equal(2 * episodes * 8, ExperiencePool.Load(pool).Count);
        Assert.Equal(pool, result.Artifacts["pool"]);
        return pool;
    }

    [Fact]
    public void CollectAdaptTest_AdaptedPolicyBeatsTheBehaviourPolicies()
    {
        var pool = Collect("default", episodes: 80);
        var run = Path.Combine(_dir, "run");
        var adapt = TaskEngine.Run(Request(TaskVerb.Adapt, run) with { Adaptation = Adaptation(pool, epochs: 10) });
        Assert.Equal("completed", adapt.Runs[0].Details!["status"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(run, "adapter", "adapter_model.safetensors")));
        var manifest = new RunDirectory(run).ReadManifest();
        Assert.Equal("test.one-hot", manifest["model"]!["encoders"]!["state_token"]!["id"]!.GetValue<string>());
        using (var weights = SafetensorsFile.Open(Path.Combine(run, "model.safetensors")))
        {
            Assert.Contains("task.state_token.proj.weight", weights.Entries.Keys);
            Assert.Contains("task.head0.weight", weights.Entries.Keys);
            Assert.Contains("task.action_embed.weight", weights.Entries.Keys);
        }

        var loaded = ExperiencePool.Load(pool);
        var behaviour = loaded.Rewards.Sum() / (loaded.Episodes.Max() + 1);
        var test = TaskEngine.Run(Request(TaskVerb.Test, options: [In("episodes", 40)], policies: [run]) with { PolicyOptions = [In("argmax", true)] });
        var adapted = test.Runs[0].Metric!.Value;
        Assert.True(adapted > behaviour + 1.0, $"adapted policy {adapted:0.00} per episode vs behaviour average {behaviour:0.00}");
        Assert.True(adapted > 6.5, $"adapted policy {adapted:0.00} of 8 per episode");
        Assert.Equal(40, test.Runs[0].Score!.Items.Count);

        // --temperature: a cold sampler plays as argmax does, a hot one nearly at random.
        double Sampled(double temperature) =>
            TaskEngine.Run(Request(TaskVerb.Test, options: [In("episodes", 40)], policies: [run]) with { PolicyOptions = [In("temperature", temperature)] }).Runs[0].Metric!.Value;
        var cold = Sampled(0.01);
        Assert.True(Math.Abs(cold - adapted) <= 0.1, $"temperature 0.01 {cold:0.00} vs argmax {adapted:0.00} per episode");
        var hot = Sampled(100);
        Assert.True(hot < adapted - 1.0, $"temperature 100 {hot:0.00} vs argmax {adapted:0.00} per episode");
    }

    [Fact]
    public void InterruptedRun_ResumesToTheSameWeights()
    {
        var pool = Collect("two", episodes: 20);
        var whole = Path.Combine(_dir, "whole");
        var model = new[] { In("two-components", true) };
        TaskEngine.Run(Request(TaskVerb.Adapt, whole, "two") with { Adaptation = Adaptation(pool, 3), ModelOptions = model });
        var parts = Path.Combine(_dir, "parts");
        var stopped = TaskEngine.Run(Request(TaskVerb.Adapt, parts, "two") with { Adaptation = Adaptation(pool, 3) with { MaxSteps = 4 }, ModelOptions = model });
        Assert.Equal("stopped", stopped.Runs[0].Details!["status"]!.GetValue<string>());
        var again = Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Adapt, parts, "two") with { Adaptation = Adaptation(pool, 3), ModelOptions = model }));
        Assert.Contains("--resume", again.Message);
        var mismatch = Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Adapt, parts, "two") with { Adaptation = Adaptation(pool, 3) with { Resume = true, LearningRate = 0.5 }, ModelOptions = model }));
        Assert.Contains("lr: run ", mismatch.Message, StringComparison.Ordinal);
        TaskEngine.Run(Request(TaskVerb.Adapt, parts, "two") with { Adaptation = Adaptation(pool, 3) with { Resume = true }, ModelOptions = model });
        foreach (var file in new[] { "model.safetensors", Path.Combine("adapter", "adapter_model.safetensors") })
        {
            using var a = SafetensorsFile.Open(Path.Combine(whole, file));
            using var b = SafetensorsFile.Open(Path.Combine(parts, file));
            foreach (var name in a.Entries.Keys)
            {
                using var ta = a.Read(name);
                using var tb = b.Read(name);
                Assert.True(ta.allclose(tb, rtol: 0, atol: 0), $"{file}: {name} differs after resume");
            }
        }
    }

    [Fact]
    public void Test_HasOneJsonShapeForAnyNumberOfPolicies()
    {
        var one = TaskEngine.Run(Request(TaskVerb.Test, policies: ["toy.expert"])).ToJson();
        var two = TaskEngine.Run(Request(TaskVerb.Test, policies: ["toy.expert", "toy.random"])).ToJson();
        Assert.Equal(one.Select(p => p.Key), two.Select(p => p.Key));
        Assert.Single(one["results"]!.AsArray());
        Assert.Equal(2, two["results"]!.AsArray().Count);
        var keys = one["results"]![0]!.AsObject().Select(p => p.Key).ToList();
        Assert.All(two["results"]!.AsArray(), r => Assert.Equal(keys, r!.AsObject().Select(p => p.Key)));
        Assert.Equal("test", one["verb"]!.GetValue<string>());
        Assert.Equal("mean_return", one["metric"]!["name"]!.GetValue<string>());
        Assert.Equal(one["results"]![0]!["metric"]!.GetValue<double>(), two["results"]![0]!["metric"]!.GetValue<double>());
        Assert.Equal("default", one["setting"]!.GetValue<string>());
        Assert.Equal(8, one["options"]!["length"]!.GetValue<int>());
    }

    [Fact]
    public void Settings_AreTypedPresetsOverriddenByTheCommandLine()
    {
        var json = TaskEngine.Run(Request(TaskVerb.Test, setting: "long", options: [In("episodes", 2)], policies: ["toy.random"])).ToJson();
        Assert.Equal(16, json["options"]!["length"]!.GetValue<int>());
        Assert.Equal(2, json["options"]!["episodes"]!.GetValue<int>());
        Assert.Equal("long", json["setting"]!.GetValue<string>());
        var custom = TaskEngine.Run(Request(TaskVerb.Test, options: [In("length", 5)], policies: ["toy.random"])).ToJson();
        Assert.Equal("custom", custom["setting"]!.GetValue<string>());
        var e = Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Test, setting: "nope", policies: ["toy.random"])));
        Assert.Contains("settings: default, long, two", e.Message);
        var range = Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Test, options: [In("length", 0)], policies: ["toy.random"])));
        Assert.Contains("out of range", range.Message);
    }

    [Fact]
    public void Policies_AreResolvedOnceForEveryTask()
    {
        var unknown = Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Test, policies: ["toy.nope"])));
        Assert.Contains("policies of toy: toy.expert, toy.random", unknown.Message);
        var skilled = TaskEngine.Run(Request(TaskVerb.Test, policies: ["toy.random"]) with { PolicyOptions = [In("skill", 1.0)] });
        Assert.Equal(8.0, skilled.Runs[0].Metric);
    }

    [Fact]
    public void EncoderSlots_TakeOnlyEncodersOfTheirModality()
    {
        var pool = Collect("default", episodes: 2);
        var adaptation = Adaptation(pool, 1);
        var wrongSlot = Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Adapt, Path.Combine(_dir, "a")) with { Adaptation = adaptation, Encoders = [new EncoderChoice("nope", "test.one-hot", [])] }));
        Assert.Contains("slots: state_token", wrongSlot.Message);
        var unknown = Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Adapt, Path.Combine(_dir, "b")) with { Adaptation = adaptation, Encoders = [new EncoderChoice("state_token", "encoder.nope", [])] }));
        Assert.Contains("encoders of this modality: test.one-hot", unknown.Message);
    }

    [Fact]
    public void Training_ChangesOnlyTheAdapterAndTheTaskModel()
    {
        var pool = Collect("default", episodes: 10);
        var run = Path.Combine(_dir, "frozen");
        TaskEngine.Run(Request(TaskVerb.Adapt, run) with { Adaptation = Adaptation(pool, 1) with { Rank = 4, LearningRate = 1e-2, WarmupSteps = 0 } });
        using var backbone = SafetensorsFile.Open(Path.Combine(run, "backbone.safetensors"));
        using var fresh = NetLlm.Core.Adaptation.BackboneFactory.FromPreset(Registry(), TestBackbones.LlamaPreset, "float32", 17);
        var state = fresh.Module.state_dict();
        Assert.NotEmpty(backbone.Entries);
        foreach (var name in backbone.Entries.Keys)
        {
            using var saved = backbone.Read(name);
            Assert.True(saved.allclose(state[name], rtol: 0, atol: 0), $"{name} changed although the backbone is frozen");
        }

        using var adapter = SafetensorsFile.Open(Path.Combine(run, "adapter", "adapter_model.safetensors"));
        Assert.Contains(adapter.Entries.Keys, k => k.Contains(".lora_B.", StringComparison.Ordinal));
        using var b = adapter.Read(adapter.Entries.Keys.First(k => k.Contains(".lora_B.", StringComparison.Ordinal)));
        Assert.True(b.abs().sum().item<float>() > 0, "lora_B starts at zero and must have moved");
    }

    [Fact]
    public void Adapt_PoolOfAnotherTask_IsRejected()
    {
        var pool = Path.Combine(_dir, "other.safetensors");
        var builder = new ExperiencePoolBuilder<ToyState>("other", new ToyCodec());
        builder.Add(new ToyState(0, 0, 0), [0], 1, true);
        builder.Build([]).Save(pool);
        var e = Assert.Throws<InvalidDataException>(() => TaskEngine.Run(Request(TaskVerb.Adapt, Path.Combine(_dir, "x")) with { Adaptation = Adaptation(pool, 1) }));
        Assert.Contains("collected for task 'other', not 'toy'", e.Message);
    }

    [Fact]
    public void Adapt_PoolWithActionsOutsideTheHeads_IsRejectedNamingTheStep()
    {
        var pool = Path.Combine(_dir, "bad.safetensors");
        var builder = new ExperiencePoolBuilder<ToyState>("toy", new ToyCodec());
        builder.Add(new ToyState(0, 0, 0), [1], 1, false);
        builder.Add(new ToyState(1, 0, 1), [7], 1, true);
        builder.Build([]).Save(pool);
        var e = Assert.Throws<InvalidDataException>(() => TaskEngine.Run(Request(TaskVerb.Adapt, Path.Combine(_dir, "y")) with { Adaptation = Adaptation(pool, 1) }));
        Assert.Contains("step 1, action component 0 is 7", e.Message);
    }
}
