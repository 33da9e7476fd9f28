using System.Text.Json.Nodes;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Core.Engine;

namespace NetLlm.Adaptation.Tests;

/// <summary>The per-epoch evaluation that picks the kept checkpoint (<c>--eval-episodes</c>, <c>--eval-seed</c>).</summary>
public sealed partial class EngineTests
{
    [Fact]
    public void EvalSeed_DefaultsToTheRunsSeed_AndAnotherSeedPlaysOtherEpisodes()
    {
        var pool = Collect("default", episodes: 10);
        double[] Evaluations(string name, int? evalSeed)
        {
            var run = Path.Combine(_dir, name);
            TaskEngine.Run(Request(TaskVerb.Adapt, run) with { Adaptation = Adaptation(pool, 2) with { EvalEpisodes = 3, EvalSeed = evalSeed } });
            var manifest = new RunDirectory(run).ReadManifest();
            Assert.Equal(evalSeed, manifest["adaptation"]!["eval_seed"]?.GetValue<int>());
            return File.ReadLines(Path.Combine(run, RunDirectory.MetricsFile))
                .Select(line => JsonNode.Parse(line)!)
                .Where(node => node["eval"] is not null)
                .Select(node => node["eval"]!.GetValue<double>())
                .ToArray();
        }

        var byRunSeed = Evaluations("default-seed", null);
        var explicitRunSeed = Evaluations("run-seed", 17);
        var otherSeed = Evaluations("other-seed", 1017);
        Assert.Equal(2, byRunSeed.Length);
        Assert.Equal(byRunSeed, explicitRunSeed);
        Assert.NotEqual(byRunSeed, otherSeed);
    }
}
