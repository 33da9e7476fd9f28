using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Tasks;
using NetLlm.Baselines.Bba;
using NetLlm.Baselines.Pensieve;
using NetLlm.Baselines.RobustMpc;
using NetLlm.Core.Engine;
using NetLlm.Core.Options;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;
using NetLlm.Testing;
using static NetLlm.Tasks.AdaptiveBitrate.Tests.AbrTestRegistry;

namespace NetLlm.Tasks.AdaptiveBitrate.Tests;

/// <summary>The typed policy providers of the three ABR baseline plugins: ids, options records, required data.</summary>
public sealed class PolicyProviderTests
{
    [Fact]
    public void Providers_ActInTheAbrEnvironment_WithTheirOptionsRecords()
    {
        var registry = Create();
        Assert.Equal(Abr.Info.Baselines.Order(StringComparer.Ordinal), registry.Policies.Select(p => p.Id).Order(StringComparer.Ordinal));
        Assert.All(registry.Policies, p => Assert.Equal((typeof(AbrObservation), typeof(int)), (p.ObservationType, p.ActionType)));
        Assert.Equal(typeof(NoOptions), registry.GetPolicy("abr.bba").OptionsType);
        Assert.Equal(typeof(RobustMpcOptions), registry.GetPolicy("abr.mpc").OptionsType);
        Assert.All(registry.Policies.Where(p => p.Id is not ("abr.bba" or "abr.mpc")), p => Assert.Equal(typeof(PensieveOptions), p.OptionsType));
        Assert.Empty(registry.GetPolicy("abr.bba").RequiredData);
        Assert.Empty(registry.GetPolicy("abr.mpc").RequiredData);
        Assert.Equal(["abr/models/genet/actor.safetensors"], registry.GetPolicy("abr.genet").RequiredData);
        Assert.Equal(["abr/models/udr_real/actor.safetensors"], registry.GetPolicy("abr.udr-real").RequiredData);
    }

    [DataFact("abr/models/udr_1", "abr/models/udr_2", "abr/models/udr_3", "abr/models/udr_real")]
    public void RequiredData_DecidesWhichPoliciesAreAvailable()
    {
        var registry = Create();
        Assert.Equal(["abr.bba", "abr.mpc"], PolicyResolver.Available(registry, "abr", null));
        Assert.Equal(Abr.Info.Baselines.Order(StringComparer.Ordinal), PolicyResolver.Available(registry, "abr", AbrTestData.Root).Order(StringComparer.Ordinal));
        using var empty = new TempDirectory();
        Assert.Equal(["abr.bba", "abr.mpc"], PolicyResolver.Available(registry, "abr", empty.Path));
    }

    [DataFact("abr/models/udr_1")]
    public void PensieveActorOption_LoadsOtherWeights_ResolvedUnderTheDataRoot()
    {
        var provider = new GenetPolicyProvider();
        var context = new Abstractions.Policies.PolicyContext(new TaskContext { Seed = 1, DataRoot = AbrTestData.Root }, null);
        Assert.Equal(AbrTestData.Data("abr/models/genet/actor.safetensors"), provider.ActorPath(context, new PensieveOptions()));
        Assert.Equal(AbrTestData.Data("abr/models/udr_1/actor.safetensors"), provider.ActorPath(context, new PensieveOptions { Actor = "abr/models/udr_1/actor.safetensors" }));

        // abr.genet with UDR-1's weights acts as abr.udr-1 does.
        double Qoe(string policy, PensieveOptions options)
        {
            using var env = AbrTestData.DefaultEnvironment();
            using var created = ((PensievePolicyProvider)Create().GetPolicy(policy)).Create(context, options);
            return AbrTestData.Run(env, created, 5, recordChunks: false).Qoe.MeanQoe;
        }

        Assert.Equal(Qoe("abr.udr-1", new PensieveOptions()), Qoe("abr.genet", new PensieveOptions { Actor = "abr/models/udr_1/actor.safetensors" }));
        Assert.NotEqual(Qoe("abr.udr-1", new PensieveOptions()), Qoe("abr.genet", new PensieveOptions()));
    }

    [Fact]
    public void PolicyOptions_ReachThePolicies_ThroughTheEngine()
    {
        double Metric(string policy, params OptionInput[] options) =>
            TaskEngine.Run(Request(TaskVerb.Test, [policy], [In("trace-count", 10)]) with { PolicyOptions = options }).Runs[0].Metric!.Value;

        // Greedy GENET on the default setting is seed-independent; sampled GENET is not.
        Assert.Equal(Metric("abr.genet", In("argmax", true)), TaskEngine.Run(Request(TaskVerb.Test, ["abr.genet"], [In("trace-count", 10)], seed: 2) with { PolicyOptions = [In("argmax", true)] }).Runs[0].Metric!.Value);
        Assert.NotEqual(Metric("abr.genet", In("argmax", true)), Metric("abr.genet"));

        // RobustMPC reading the state in float32 makes the same decisions on the default setting (README).
        Assert.Equal(Metric("abr.mpc"), Metric("abr.mpc", In("mpc-float32-state", true)));
        Assert.Equal(Metric("abr.mpc"), Metric("abr.mpc", In("mpc-error-weight", 1.0)));
        Assert.NotEqual(Metric("abr.mpc"), Metric("abr.mpc", In("mpc-error-weight", 0.0)));
        Assert.IsType<BbaPolicy>(new BbaPolicyProvider().Create(new(new TaskContext(), null), NoOptions.Instance));
    }
}
