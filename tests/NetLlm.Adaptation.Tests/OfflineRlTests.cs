using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Adaptation.Tests.Toy;
using NetLlm.Core.Adaptation;
using NetLlm.Core.IO;
using static TorchSharp.torch;

namespace NetLlm.Adaptation.Tests;

/// <summary>RL_Collect, Adapt and Test end to end on the toy task, with resume and weight-freezing checks.</summary>
public sealed class OfflineRlTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("netllm-rl-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static TaskRequest Request(TaskVerb verb, string? output, Dictionary<string, string> args, params string[] policies) => new()
    {
        Verb = verb,
        Seed = 17,
        Policies = policies,
        Output = output,
        Arguments = new TaskArguments(args),
        Registry = TestBackbones.Registry(),
    };

    private static IPolicy<ToyState, int[]> Behaviour(string id, bool two) => id switch
    {
        "random" => new ToyBehaviour(id, 0.0, 1, two),
        "expert" => new ToyBehaviour(id, 0.7, 2, two),
        _ => throw new ArgumentException(id),
    };

    private string Collect(ToyBinding binding, bool two, int episodes)
    {
        var pool = Path.Combine(_dir, $"pool-{two}.safetensors");
        var report = DecisionTaskVerbs.Collect(binding, Request(TaskVerb.Collect, pool, []), episodes, id => Behaviour(id, two), ["random", "expert"]);
        Assert.Equal(2 * episodes * 8, report.Json["steps"]!.GetValue<int>());
        return pool;
    }

    private static Dictionary<string, string> AdaptArgs(string pool, int epochs) => new()
    {
        ["pool"] = pool,
        ["backbone"] = TestBackbones.LlamaPreset,
        ["rank"] = "8",
        ["epochs"] = epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["batch-size"] = "16",
        ["lr"] = "2e-3",
        ["warmup-steps"] = "10",
        ["w"] = "4",
        ["grad-clip"] = "1.0",
        ["lora-dropout"] = "0",
    };

    [Fact]
    public void AdaptedPolicy_BeatsTheAverageBehaviourPolicy()
    {
        var binding = new ToyBinding(twoComponents: false);
        var pool = Collect(binding, false, episodes: 80);
        var run = Path.Combine(_dir, "run");
        var report = DecisionTaskVerbs.Adapt(binding, Request(TaskVerb.Adapt, run, AdaptArgs(pool, epochs: 10)));
        Assert.Equal("completed", report.Json["status"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(run, "adapter", "adapter_model.safetensors")));
        Assert.True(File.Exists(Path.Combine(run, "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(run, "backbone.safetensors")));
        Assert.NotEmpty(new RunDirectory(run).ReadMetrics());

        var loaded = ExperiencePool.Load(pool);
        var behaviourMean = loaded.Rewards.Sum() / (loaded.Episodes.Max() + 1);
        using var policy = DecisionTaskVerbs.LoadPolicy(run, binding, Request(TaskVerb.Test, null, new() { ["argmax"] = "true" }));
        var adapted = MeanReturn(binding, policy, episodes: 40);
        Assert.True(adapted > behaviourMean + 1.0, $"adapted policy {adapted:0.00} per episode vs behaviour average {behaviourMean:0.00}");
        Assert.True(adapted > 6.5, $"adapted policy {adapted:0.00} of 8 per episode");
    }

    [Fact]
    public void InterruptedRun_ResumesToTheSameWeightsAsAnUninterruptedOne()
    {
        var binding = new ToyBinding(twoComponents: true);
        var pool = Collect(binding, true, episodes: 20);
        var whole = Path.Combine(_dir, "whole");
        DecisionTaskVerbs.Adapt(binding, Request(TaskVerb.Adapt, whole, AdaptArgs(pool, epochs: 3)));

        var parts = Path.Combine(_dir, "parts");
        var first = AdaptArgs(pool, epochs: 3);
        first["max-steps"] = "4";
        var stopped = DecisionTaskVerbs.Adapt(binding, Request(TaskVerb.Adapt, parts, first));
        Assert.Equal("stopped", stopped.Json["status"]!.GetValue<string>());
        using (var early = DecisionTaskVerbs.LoadPolicy(parts, binding, Request(TaskVerb.Test, null, new() { ["argmax"] = "true" })))
        {
            Assert.NotNull(early); // a run stopped at --max-steps is a usable policy
        }

        var e = Assert.Throws<ArgumentException>(() => DecisionTaskVerbs.Adapt(binding, Request(TaskVerb.Adapt, parts, AdaptArgs(pool, epochs: 3))));
        Assert.Contains("--resume", e.Message);
        var other = AdaptArgs(pool, epochs: 3);
        other["resume"] = "true";
        other["lr"] = "0.5";
        var mismatch = Assert.Throws<ArgumentException>(() => DecisionTaskVerbs.Adapt(binding, Request(TaskVerb.Adapt, parts, other)));
        Assert.Contains("lr: run ", mismatch.Message, StringComparison.Ordinal);
        Assert.Contains(", now 0.5", mismatch.Message, StringComparison.Ordinal);
        var resume = AdaptArgs(pool, epochs: 3);
        resume["resume"] = "true";
        var resumed = DecisionTaskVerbs.Adapt(binding, Request(TaskVerb.Adapt, parts, resume));
        Assert.Equal("completed", resumed.Json["status"]!.GetValue<string>());
        Assert.Equal(resumed.Json["result"]!["steps"]!.GetValue<long>(), DecisionTaskVerbs.Adapt(binding, Request(TaskVerb.Adapt, Path.Combine(_dir, "again"), AdaptArgs(pool, epochs: 3))).Json["result"]!["steps"]!.GetValue<long>());

        AssertSameTensors(Path.Combine(whole, "model.safetensors"), Path.Combine(parts, "model.safetensors"));
        AssertSameTensors(Path.Combine(whole, "adapter", "adapter_model.safetensors"), Path.Combine(parts, "adapter", "adapter_model.safetensors"));
        var steps = new RunDirectory(parts).ReadMetrics().Where(m => m["loss"] is not null).Select(m => m["step"]!.GetValue<long>()).ToList();
        Assert.Equal(steps.Distinct().Count(), steps.Count);
    }

    [Fact]
    public void Training_ChangesOnlyAdapterEncodersAndHeads()
    {
        var binding = new ToyBinding(twoComponents: false);
        var pool = ExperiencePool.Load(Collect(binding, false, episodes: 10));
        var options = AdaptationOptions.From(new TaskArguments(new Dictionary<string, string> { ["backbone"] = TestBackbones.LlamaPreset, ["rank"] = "4", ["w"] = "4", ["lr"] = "1e-2", ["warmup-steps"] = "0" }));
        using var adapted = AdaptedBackbone.Create(TestBackbones.Registry(), options, 3);
        var (conditioning, rtg) = ReturnConditioning.FromPool(pool, 1.0, 1000);
        using var model = new ReturnConditionedModel<ToyState>(binding.CreateModel(32, new Dictionary<string, string>()), conditioning.MaxTimestep);
        var before = adapted.Backbone.Module.named_parameters().Concat(model.named_parameters().Select(p => ("task:" + p.name, p.parameter)))
            .ToDictionary(p => p.Item1, p => p.Item2.detach().clone());
        var windows = DecisionWindows.Cut(pool, 4, 0, false);
        var states = pool.States(binding.StateCodec);
        var trainable = adapted.TrainableParameters.Concat(model.parameters()).ToList();
        using var optimizer = optim.AdamW(trainable, lr: 1e-2);
        for (var step = 0; step < 5; step++)
        {
            optimizer.zero_grad();
            using var loss = model.Loss(adapted.Backbone, DecisionBatch<ToyState>.From(windows.Take(8).ToList(), states, pool, rtg));
            loss.backward();
            optimizer.step();
        }

        foreach (var (name, p) in adapted.Backbone.Module.named_parameters())
        {
            var changed = !p.detach().allclose(before[name], rtol: 0, atol: 0);
            Assert.True(changed == name.Contains(".lora_B.", StringComparison.Ordinal) || (changed && name.Contains(".lora_A.", StringComparison.Ordinal)), $"{name} changed={changed}");
        }

        Assert.All(model.named_parameters().Where(p => p.name.StartsWith("task.head0", StringComparison.Ordinal) || p.name.StartsWith("embed_", StringComparison.Ordinal)), p => Assert.False(p.parameter.detach().allclose(before["task:" + p.name], rtol: 0, atol: 0), p.name));
        foreach (var t in before.Values)
        {
            t.Dispose();
        }
    }

    [Fact]
    public void Adapt_PoolOfAnotherTask_IsRejected()
    {
        var binding = new ToyBinding(twoComponents: false);
        var pool = Collect(binding, false, episodes: 2);
        var other = new OtherTaskBinding();
        var e = Assert.Throws<InvalidDataException>(() => DecisionTaskVerbs.Adapt(other, Request(TaskVerb.Adapt, Path.Combine(_dir, "x"), AdaptArgs(pool, 1))));
        Assert.Contains("collected for task 'toy', not 'other'", e.Message);
    }

    private static double MeanReturn(ToyBinding binding, IPolicy<ToyState, int[]> policy, int episodes)
    {
        using var env = binding.CreateEnvironment(Request(TaskVerb.Test, null, []));
        var observation = env.Reset(999).Observation;
        double total = 0;
        for (var e = 0; e < episodes; e++)
        {
            if (e > 0)
            {
                observation = env.Reset().Observation;
            }

            policy.BeginEpisode();
            while (true)
            {
                var step = env.Step(policy.Act(observation));
                total += step.Reward;
                policy.Observe(step.Reward, step.Done);
                observation = step.Observation;
                if (step.Done)
                {
                    break;
                }
            }
        }

        return total / episodes;
    }

    private static void AssertSameTensors(string a, string b)
    {
        using var fa = SafetensorsFile.Open(a);
        using var fb = SafetensorsFile.Open(b);
        Assert.Equal(fa.Entries.Keys.Order(StringComparer.Ordinal), fb.Entries.Keys.Order(StringComparer.Ordinal));
        foreach (var name in fa.Entries.Keys)
        {
            using var ta = fa.Read(name);
            using var tb = fb.Read(name);
            Assert.True(ta.allclose(tb, rtol: 0, atol: 1e-6), $"{name} differs after resume by {(ta - tb).abs().max().item<float>()}");
        }
    }

    private sealed class OtherTaskBinding : IDecisionTaskBinding<ToyState, int[]>
    {
        private readonly ToyBinding _inner = new(false);

        public string TaskId => "other";

        public IStateCodec<ToyState> StateCodec => _inner.StateCodec;

        public int[] ToComponents(ToyState state, int[] action) => action;

        public int[] FromComponents(ToyState state, int[] components) => components;

        public IDecisionModel<ToyState> CreateModel(int embeddingDim, IReadOnlyDictionary<string, string> settings) => _inner.CreateModel(embeddingDim, settings);

        public NetLlm.Abstractions.Environments.IEnvironment<ToyState, int[]> CreateEnvironment(TaskRequest request) => _inner.CreateEnvironment(request);
    }
}
