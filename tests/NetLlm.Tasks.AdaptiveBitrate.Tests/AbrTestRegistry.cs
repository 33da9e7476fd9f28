using NetLlm.Abstractions.Backbones;
using NetLlm.Abstractions.Tasks;
using NetLlm.Baselines.Bba;
using NetLlm.Baselines.Pensieve;
using NetLlm.Baselines.RobustMpc;
using NetLlm.Core.Engine;
using NetLlm.Core.Options;
using NetLlm.Core.Plugins;
using NetLlm.Encoders.Standard;
using NetLlm.Testing;

namespace NetLlm.Tasks.AdaptiveBitrate.Tests;

/// <summary>The ABR task with its baselines and the standard encoders, as the host loads them, and requests to the engine.</summary>
internal static class AbrTestRegistry
{
    public static AbrTask Abr { get; } = new();

    public static PluginRegistry Create(params IBackboneProvider[] backbones) => new(
        tasks: [Abr],
        policies:
        [
            new BbaPolicyProvider(), new RobustMpcPolicyProvider(), new GenetPolicyProvider(), new Udr1PolicyProvider(),
            new Udr2PolicyProvider(), new Udr3PolicyProvider(), new UdrRealPolicyProvider(),
        ],
        backbones: backbones,
        encoders: [new ScalarMlpEncoderProvider(), new SeriesCnnEncoderProvider()]);

    public static OptionInput In(string name, object? value) => new(name, value, "option --" + name);

    /// <summary>A request for <paramref name="verb"/> with the shared data root (or <paramref name="dataRoot"/>).</summary>
    public static VerbRequest Request(TaskVerb verb, IReadOnlyList<string> policies, IReadOnlyList<OptionInput>? options = null, string? setting = null, int seed = 1, string? output = null, bool withDataRoot = true) => new()
    {
        Task = Abr,
        Context = new TaskContext { Verb = verb, Seed = seed, DataRoot = withDataRoot ? AbrTestData.Root : null },
        Registry = Create(),
        Setting = setting,
        TaskOptions = options ?? [],
        Policies = policies,
        Output = output,
    };
}
