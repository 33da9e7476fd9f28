using NetLlm.Abstractions.Policies;
using NetLlm.Baselines.Decima;
using NetLlm.Baselines.RoundRobin;
using NetLlm.Core.Options;
using NetLlm.Tasks.JobScheduling.Model;
using NetLlm.Testing;
using TorchSharp;
using static NetLlm.Tasks.JobScheduling.Tests.SyntheticObservations;
using static TorchSharp.torch;

namespace NetLlm.Tasks.JobScheduling.Tests;

/// <summary>Decima: its weights (JSON and the original checkpoint), its decisions, and its quality against Fair.</summary>
public sealed class DecimaTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void JsonWeights_EqualTheOriginalCheckpoint()
    {
        using var fromJson = new DecimaActor();
        using var fromPt = new DecimaActor();
        DecimaWeights.Load(fromJson, CjsTestData.DecimaJson, allowPickle: false);
        DecimaWeights.Load(fromPt, CjsTestData.DecimaPt, allowPickle: true);

        var a = fromJson.named_parameters().ToList();
        var b = fromPt.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(42, a.Count);
        Assert.Equal(20802, a.Sum(p => p.parameter.numel()));
        foreach (var (name, parameter) in a)
        {
            Assert.True(parameter.equal(b[name]).all().item<bool>(), $"{name} differs");
        }

        // Spot value from the export: the first weight of the node encoder.
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(CjsTestData.DecimaJson));
        var first = doc.RootElement.GetProperty("encoder.node_encoder.mlp_prep.0.weight").GetProperty("data")[0].GetSingle();
        Assert.Equal(first, a.Single(p => p.name == "encoder.node_encoder.mlp_prep.0.weight").parameter[0, 0].item<float>());
    }

    [Fact]
    public void TorchCheckpoint_NeedsTheExplicitOptIn()
    {
        using var actor = new DecimaActor();

        var e = Assert.Throws<ArgumentException>(() => DecimaWeights.Load(actor, CjsTestData.DecimaPt, allowPickle: false));

        Assert.Contains("--allow-pickle", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WeightsWithAMissingOrMisshapenTensor_AreRejectedByName()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(CjsTestData.DecimaJson))!.AsObject();
        json.Remove("exec_policy_network.mlp_score.4.bias");
        var missing = _dir.File("missing.json", json.ToJsonString());
        var shaped = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(CjsTestData.DecimaJson))!.AsObject();
        shaped["encoder.dag_encoder.mlp.0.weight"]!["shape"] = new System.Text.Json.Nodes.JsonArray(32, 20);
        var misshapen = _dir.File("shape.json", shaped.ToJsonString());
        using var actor = new DecimaActor();

        var e1 = Assert.Throws<InvalidDataException>(() => DecimaWeights.Load(actor, missing, false));
        var e2 = Assert.Throws<InvalidDataException>(() => DecimaWeights.Load(actor, misshapen, false));

        Assert.Contains(missing, e1.Message, StringComparison.Ordinal);
        Assert.Contains("'exec_policy_network.mlp_score.4.bias' is missing", e1.Message, StringComparison.Ordinal);
        Assert.Contains("'encoder.dag_encoder.mlp.0.weight' has shape [32, 20], Decima needs [32, 21]", e2.Message, StringComparison.Ordinal);
    }

    [DataFact("cjs")]
    public void Scores_CoverTheSchedulableStagesAndTheJobsExecutorCap()
    {
        using var actor = new DecimaActor();
        DecimaWeights.Load(actor, CjsTestData.DecimaJson, false);
        var obs = Make(50, 20, 2, new Job(3, [(0, 1), (1, 2)], [0], Supply: 45), new Job(2, [], [0, 1]));
        using var noGrad = no_grad();
        using var batch = CjsGraphs.Batch([obs]);
        using var h = actor.Encoder.forward(batch);

        using var stages = actor.StageScores(obs, batch, h);
        using var executors0 = actor.ExecutorScores(obs, batch, h, 0);
        using var executors1 = actor.ExecutorScores(obs, batch, h, 1);

        Assert.Equal([3L], stages.shape);
        // Job 0 has supply 45 of 50: cap min(5, 20) = 5; job 1: min(50, 20) = 20.
        Assert.Equal([5L], executors0.shape);
        Assert.Equal([20L], executors1.shape);
        Assert.True(stages.isfinite().all().item<bool>());
    }

    [DataFact("cjs")]
    public void Decima_CompletesEpisodes_ArgmaxIsDeterministic_SamplingFollowsTheSeed()
    {
        var options = CjsTestData.Small(jobs: 12, executors: 10);
        using var greedy1 = CjsTestData.Decima(seed: 1, argmax: true);
        using var greedy2 = CjsTestData.Decima(seed: 2, argmax: true);
        using var sampled1 = CjsTestData.Decima(seed: 5);
        using var sampled2 = CjsTestData.Decima(seed: 5);

        var g1 = CjsTestData.Run(greedy1, options, 3);
        var g2 = CjsTestData.Run(greedy2, options, 3);
        var s1 = CjsTestData.Run(sampled1, options, 3);
        var s2 = CjsTestData.Run(sampled2, options, 3);

        Assert.Equal(12, g1.JobsCompleted);
        Assert.Equal(12, s1.JobsCompleted);
        Assert.Equal(g1.AverageJctSeconds, g2.AverageJctSeconds);
        Assert.Equal(s1.AverageJctSeconds, s2.AverageJctSeconds);
        Assert.Equal(s1.Steps, s2.Steps);
    }

    [DataFact("cjs")]
    public void Decima_BeatsFair_OnTheSameJobs()
    {
        // The paper's ordering (Decima 52 s < Fair 58.5 s on the default setting), checked on a shorter, busier
        // workload for speed: 40 jobs on 20 executors (Decima wins there by about 20 %). The report has the full
        // default-setting numbers over ten seeds.
        var options = CjsTestData.Small(jobs: 40, executors: 20);
        foreach (var seed in new[] { 1, 2 })
        {
            using var d = CjsTestData.Decima(seed);
            var decima = CjsTestData.Run(d, options, seed).AverageJctSeconds;
            var fair = CjsTestData.Run(new RoundRobinScheduler(true), options, seed).AverageJctSeconds;
            Assert.True(decima < 0.95 * fair, $"seed {seed}: Decima {decima:F2} s vs Fair {fair:F2} s");
        }
    }

    [Fact]
    public void Provider_ResolvesWeightsUnderTheDataRoot()
    {
        var provider = new DecimaPolicyProvider();
        var e = Assert.Throws<FileNotFoundException>(() => provider.Create(CjsTestData.Context(1), new DecimaOptions { DecimaWeights = "cjs/models/decima/nothing.json" }));

        Assert.Contains("nothing.json", e.Message, StringComparison.Ordinal);
        using var policy = provider.Create(CjsTestData.Context(1), new DecimaOptions { DecimaWeights = "cjs/models/decima/model.pt", AllowPickle = true });
        Assert.Equal("cjs.decima", policy.Id);
        Assert.Equal([CjsTask.DecimaWeights], ((IPolicyProvider)provider).RequiredData);
        Assert.Equal((CjsTask.TaskId, typeof(CjsObservation), typeof(CjsAction)), (provider.TaskId, ((IPolicyProvider)provider).ObservationType, ((IPolicyProvider)provider).ActionType));
    }

    [Fact]
    public void Options_KeepTheOldNames()
    {
        var fields = OptionSchema.Of<DecimaOptions>().Fields;

        Assert.Equal(["argmax", "decima-weights", "allow-pickle"], fields.Select(f => f.Name));
        Assert.Equal(CjsTask.DecimaWeights, new DecimaOptions().DecimaWeights);
        Assert.All(fields, f => Assert.Equal(NetLlm.Abstractions.Options.VerbScope.Collect | NetLlm.Abstractions.Options.VerbScope.Test | NetLlm.Abstractions.Options.VerbScope.Bench, f.Verbs));
    }
}
