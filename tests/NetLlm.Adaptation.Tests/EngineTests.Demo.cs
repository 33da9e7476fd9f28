using NetLlm.Abstractions.Tasks;
using NetLlm.Adaptation.Tests.Toy;
using NetLlm.Core.Adaptation;
using NetLlm.Core.Engine;

namespace NetLlm.Adaptation.Tests;

/// <summary>
/// <c>netllm demo</c> through the engine on the toy task: the pool comes from the plan's experts only, the data-root
/// mode trains on the plan's setting, and the adapted run is tested beside every baseline.
/// </summary>
public sealed partial class EngineTests
{
    [Theory]
    [InlineData(false, 60, 8)]
    [InlineData(true, 10, 16)]
    public void Demo_CollectsFromItsExpertsOnly_AndTestsTheAdaptedRunBesideEveryBaseline(bool realData, int episodes, int length)
    {
        var folder = Path.Combine(_dir, realData ? "demo-data" : "demo-embedded");
        var request = Request(TaskVerb.Test) with { Adaptation = Adaptation(string.Empty, epochs: 2) };
        var result = DemoRunner.Run(request, folder, realData);

        // toy.missing is not loaded and is left out; toy.random is a table column but not an expert.
        Assert.Equal(["toy.expert"], result.Collect!.Runs.Select(r => r.Policy));
        var pool = ExperiencePool.Load(Path.Combine(folder, "pool.safetensors"));
        Assert.Equal(episodes * length, pool.Count);
        Assert.Equal(["netllm", "toy.random", "toy.expert"], result.Tests.Select(t => t.Policy));
        Assert.Equal(realData ? "toy data" : "toy episodes", result.Title);
        var tested = realData ? new ToyOptions().Episodes : 20;
        Assert.All(result.Tests, t => Assert.Equal(tested, t.Run.Score!.Items.Count));
        Assert.Equal("completed", result.Adapt.Runs[0].Details!["status"]!.GetValue<string>());

        // The plan's evaluation episodes picked the kept epoch.
        Assert.Equal(4, result.Adaptation!.EvalEpisodes);
        Assert.Equal("best", RunResult(folder)["weights_from"]!.GetValue<string>());
    }

    [Fact]
    public void Demo_EvalEpisodesGiven_OverrideThePlan()
    {
        var folder = Path.Combine(_dir, "demo-last");
        var request = Request(TaskVerb.Test) with { Adaptation = Adaptation(string.Empty, epochs: 2) };
        var result = DemoRunner.Run(request, folder, realData: false, evalEpisodes: 0);
        Assert.Equal(0, result.Adaptation!.EvalEpisodes);
        Assert.Equal("last", RunResult(folder)["weights_from"]!.GetValue<string>());
        Assert.Null(RunResult(folder)["best_epoch"]);
    }

    private static System.Text.Json.Nodes.JsonNode RunResult(string folder) =>
        System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "run", "run.json")))!["result"]!;
}
