using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Models;
using NetLlm.Abstractions.Tasks;
using NetLlm.Backbones.Llama;
using NetLlm.Baselines.LinearRegression;
using NetLlm.Baselines.Persistence;
using NetLlm.Baselines.Track;
using NetLlm.Baselines.Velocity;
using NetLlm.Core.Engine;
using NetLlm.Core.Options;
using NetLlm.Core.Plugins;
using NetLlm.Encoders.Standard;
using NetLlm.Encoders.Vision;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Model;
using NetLlm.Tasks.ViewportPrediction.Policies;

namespace NetLlm.Tasks.ViewportPrediction.Tests.Support;

/// <summary>The VP plugins as the host loads them, and requests to the engine on the shared data root.</summary>
internal static class VpPlugins
{
    public static ViewportPredictionTask Task { get; } = new();

    public static PluginRegistry Registry(bool backbones = true) => new(
        tasks: [Task],
        policies: [new LinearRegressionProvider(), new VelocityProvider(), new HoldProvider(), new TrackProvider()],
        backbones: backbones ? [new LlamaProvider()] : [],
        encoders: Encoders);

    public static IReadOnlyList<IEncoderProvider> Encoders { get; } = [new SeriesCnnEncoderProvider(), new ScalarMlpEncoderProvider(), new VitEncoderProvider(), new LinearSeriesEncoderProvider()];

    public static OptionInput In(string name, object value) => new(name, value, "test");

    public static VerbRequest Request(TaskVerb verb, IReadOnlyList<string> policies, string? setting = null, IReadOnlyList<OptionInput>? options = null, IReadOnlyList<OptionInput>? policyOptions = null, int seed = 1) => new()
    {
        Task = Task,
        Context = new TaskContext { Verb = verb, Seed = seed, DataRoot = VpData.DataRoot },
        Registry = Registry(),
        Setting = setting,
        TaskOptions = options ?? [],
        Policies = policies,
        PolicyOptions = policyOptions ?? [],
    };

    /// <summary>The NetLLM model of <paramref name="options"/> as the engine assembles it for width <paramref name="width"/> (seeded).</summary>
    public static PredictionTaskModel<ViewportSample, VpHistory, VpPrediction> Model(int width, VpModelOptions? options = null, int seed = 3, IReadOnlyList<EncoderChoice>? encoders = null)
    {
        TorchSharp.torch.random.manual_seed(seed);
        return PredictionTaskModel<ViewportSample, VpHistory, VpPrediction>.Create(
            VpModelDesign.For(options ?? new VpModelOptions()), Registry(backbones: false), width, encoders ?? [], VpData.DataRoot, ViewportPredictionTask.TaskId);
    }

    /// <summary>The options of a tiny random ViT in the image slot (one layer, patches of 8).</summary>
    public static EncoderChoice TinyVit(int seed = 0) => new(VpModelDesign.ImageSlot, null, [In("layers", 1), In("heads", 2), In("intermediate", 32), In("patch-size", 8), In("seed", seed)]);
}
