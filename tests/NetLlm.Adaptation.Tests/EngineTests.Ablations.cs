using NetLlm.Abstractions.Backbones;
using NetLlm.Abstractions.Tasks;
using NetLlm.Backbones.Llama;
using NetLlm.Core.Adaptation;
using NetLlm.Core.Encoders;
using NetLlm.Core.Engine;
using NetLlm.Core.IO;
using TorchSharp;

namespace NetLlm.Adaptation.Tests;

/// <summary>The ablation switches of adapt: a frozen backbone (rank 0), a switched-off encoder slot, random weights in a model folder's architecture.</summary>
public sealed partial class EngineTests
{
    [Fact]
    public void FrozenBackbone_TrainsOnlyTheTaskModelAndTestsFromTheRun()
    {
        var pool = Collect("default", episodes: 10);
        var run = Path.Combine(_dir, "rank0");
        TaskEngine.Run(Request(TaskVerb.Adapt, run) with { Adaptation = Adaptation(pool, 1) with { Rank = 0, LearningRate = 1e-2, WarmupSteps = 0 } });
        Assert.False(Directory.Exists(Path.Combine(run, "adapter")), "a frozen backbone has no adapter");
        Assert.False(File.Exists(Path.Combine(run, RunDirectory.FineTunedBackboneFile)));
        var manifest = new RunDirectory(run).ReadManifest();
        Assert.Equal(0, manifest["adaptation"]!["rank"]!.GetValue<int>());
        Assert.Equal(0L, manifest["parameters"]!["backbone_trainable"]!.GetValue<long>());

        using var backbone = SafetensorsFile.Open(Path.Combine(run, "backbone.safetensors"));
        using var fresh = BackboneFactory.FromPreset(Registry(), TestBackbones.LlamaPreset, "float32", 17);
        var state = fresh.Module.state_dict();
        Assert.Equal(state.Count, backbone.Entries.Count);
        foreach (var name in backbone.Entries.Keys)
        {
            using var saved = backbone.Read(name);
            Assert.True(saved.allclose(state[name], rtol: 0, atol: 0), $"{name} changed although the backbone is frozen");
        }

        var test = TaskEngine.Run(Request(TaskVerb.Test, options: [In("episodes", 4)], policies: [run]));
        Assert.Equal(4, test.Runs[0].Score!.Items.Count);
        Assert.True(double.IsFinite(test.Runs[0].Metric!.Value));
    }

    [Fact]
    public void SwitchedOffSlot_IsRecordedAndTakesAwayWhatThePolicyLearnsFromIt()
    {
        var pool = Collect("default", episodes: 80);
        var on = Path.Combine(_dir, "on");
        var off = Path.Combine(_dir, "off");
        TaskEngine.Run(Request(TaskVerb.Adapt, on) with { Adaptation = Adaptation(pool, epochs: 10) });
        TaskEngine.Run(Request(TaskVerb.Adapt, off) with { Adaptation = Adaptation(pool, epochs: 10), Encoders = [new EncoderChoice("state_token", SwitchedOffEncoder.Id, [])] });
        var manifest = new RunDirectory(off).ReadManifest();
        Assert.Equal("off", manifest["model"]!["encoders"]!["state_token"]!["id"]!.GetValue<string>());

        double Score(string run) =>
            TaskEngine.Run(Request(TaskVerb.Test, options: [In("episodes", 40)], policies: [run]) with { PolicyOptions = [In("argmax", true)] }).Runs[0].Metric!.Value;
        var withState = Score(on);
        var withoutState = Score(off);
        Assert.True(withState > withoutState + 1.0, $"state slot on {withState:0.00}, off {withoutState:0.00} per episode");

        var options = Assert.Throws<ArgumentException>(() => TaskEngine.Run(Request(TaskVerb.Adapt, Path.Combine(_dir, "bad")) with
        {
            Adaptation = Adaptation(pool, 1),
            Encoders = [new EncoderChoice("state_token", SwitchedOffEncoder.Id, [new("width", 3, "option --encoder-option state_token.width")])],
        }));
        Assert.Contains("state_token.width: slot 'state_token' is switched off", options.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SwitchedOffEncoder_AnswersZerosOfTheEncodersShapeWithoutGradient()
    {
        using var inner = new Linear1(3, 5);
        var off = new SwitchedOffEncoder(inner);
        using var x = torch.ones(4, 3);
        using var y = off.Encode(x);
        Assert.Equal(new long[] { 4, 5 }, y.shape);
        Assert.Equal(0f, y.abs().sum().item<float>());
        Assert.False(y.requires_grad);
        Assert.All(inner.parameters(), p => Assert.False(p.requires_grad));
        Assert.Equal(5, off.EmbeddingDim);
    }

    [Fact]
    public void RandomInit_BuildsTheModelFoldersShapeWithSeededWeightsAndNeedsAFolder()
    {
        var folder = Path.Combine(_dir, "model");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), TestBackbones.LlamaConfig);
        using (var pretrained = TestBackbones.Llama(seed: 99))
        {
            ModuleStateFile.Save(pretrained.Module, Path.Combine(folder, "model.safetensors"));
        }

        var pool = Collect("default", episodes: 4);
        var run = Path.Combine(_dir, "random-init");
        TaskEngine.Run(Request(TaskVerb.Adapt, run) with { Adaptation = Adaptation(pool, 1) with { BackbonePreset = null, Model = folder, RandomInit = true } });
        var manifest = new RunDirectory(run).ReadManifest();
        Assert.True(manifest["backbone"]!["random_init"]!.GetValue<bool>());
        Assert.Equal(17, manifest["backbone"]!["init_seed"]!.GetValue<int>());
        Assert.Equal("model", manifest["backbone"]!["source"]!.GetValue<string>());

        using var saved = SafetensorsFile.Open(Path.Combine(run, "backbone.safetensors"));
        using var seeded = new LlamaProvider().FromConfig(TestBackbones.LlamaConfig, new BackboneLoadOptions { RandomInit = true, Seed = 17 });
        using var loaded = SafetensorsFile.Open(Path.Combine(folder, "model.safetensors"));
        var name = saved.Entries.Keys.First(k => k.EndsWith("q_proj.weight", StringComparison.Ordinal));
        using var runWeight = saved.Read(name);
        using var folderWeight = loaded.Read(name);
        Assert.True(runWeight.allclose(seeded.Module.state_dict()[name], rtol: 0, atol: 0), "the run's base weights are the seeded random ones");
        Assert.False(runWeight.allclose(folderWeight), "the folder's weights were loaded although --random-init was given");

        var test = TaskEngine.Run(Request(TaskVerb.Test, options: [In("episodes", 2)], policies: [run]));
        Assert.True(double.IsFinite(test.Runs[0].Metric!.Value));

        var e = Assert.Throws<ArgumentException>(() => new AdaptationOptions { RandomInit = true }.Validate());
        Assert.Contains("--random-init: needs --model", e.Message, StringComparison.Ordinal);
    }

    private sealed class Linear1 : torch.nn.Module<torch.Tensor, torch.Tensor>, NetLlm.Abstractions.Encoders.IModalityEncoder<torch.Tensor>
    {
        private readonly TorchSharp.Modules.Linear _proj;

        public Linear1(int input, int output)
            : base(nameof(Linear1))
        {
            _proj = torch.nn.Linear(input, output);
            EmbeddingDim = output;
            RegisterComponents();
        }

        public string Modality => "test";

        public int EmbeddingDim { get; }

        public torch.nn.Module Module => this;

        public torch.Tensor Encode(torch.Tensor input) => forward(input);

        public override torch.Tensor forward(torch.Tensor input) => _proj.forward(input);
    }
}
