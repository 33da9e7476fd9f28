using System.Text.Json.Nodes;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Engine;

namespace NetLlm.Adaptation.Tests;

/// <summary>
/// run.json values that used to crash (a table of max_timestep rows, a null model folder) or to be ignored while they
/// contradicted the adapter or the weights (rank, targets, dtype, backbone size, window) are refused naming the file
/// and the key when the run is loaded as a policy (issue 15).
/// </summary>
public sealed partial class EngineTests
{
    public static TheoryData<string, Action<JsonObject>, string> BrokenManifests => new()
    {
        { "version", m => m["version"] = 99999999999999, "version 99999999999999 is not supported" },
        { "source", m => m["backbone"]!["source"] = "model", "backbone.source is 'model' but backbone.model names no folder" },
        { "source-kind", m => m["backbone"]!["source"] = "cloud", "backbone.source is 'cloud', not 'model' or 'preset'" },
        { "max-timestep", m => m["conditioning"]!["max_timestep"] = 1_000_000_000, "conditioning.max_timestep is 1000000000, but 'embed_timestep.weight' in" },
        { "max-timestep-negative", m => m["conditioning"]!["max_timestep"] = -5, "conditioning.max_timestep is -5, not a number from 0" },
        { "scale", m => m["conditioning"]!["scale"] = 0, "conditioning.scale is 0, not a number" },
        { "gamma", m => m["conditioning"]!["gamma"] = 0.5, "conditioning (gamma 0.5, scale 1000) contradicts adaptation (gamma 1, return_scale 1000)" },
        { "rank", m => m["adaptation"]!["rank"] = 16, "adaptation.rank is 16 but" },
        { "targets", m => m["adaptation"]!["target_modules"] = new JsonArray("q_proj", "k_proj", "v_proj"), "adaptation.target_modules [q_proj, k_proj, v_proj] but" },
        { "dtype", m => m["adaptation"]!["dtype"] = "float16", "backbone.dtype 'float32' contradicts adaptation.dtype 'float16'" },
        { "layers", m => m["backbone"]!["layers"] = 40, "backbone.layers is 40, the loaded backbone has" },
        { "window", m => m["adaptation"]!["w"] = 100_000, "adaptation.w: 100000 is out of range" },
        { "action-components", m => m["action_components"] = 3, "action_components is 3, but the task has 1 action head(s)" },
        { "preset", m => m["backbone"]!["preset"] = "no-such-preset", "backbone.preset: unknown backbone preset 'no-such-preset'" },
    };

    [Theory]
    [MemberData(nameof(BrokenManifests))]
    public void LoadRun_ManifestThatContradictsItselfOrTheWeights_IsRefusedNamingTheKey(string name, Action<JsonObject> edit, string expected)
    {
        var run = SmallRun();
        var broken = Path.Combine(_dir, "broken-" + name);
        CopyFolder(run, broken);
        var manifestPath = Path.Combine(broken, "run.json");
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
        edit(manifest);
        File.WriteAllText(manifestPath, manifest.ToJsonString());

        var e = Assert.Throws<InvalidDataException>(() => TaskEngine.Run(Request(TaskVerb.Test, options: [In("episodes", 1)], policies: [broken])));
        Assert.StartsWith(manifestPath + ": ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.NotNull(TaskEngine.Run(Request(TaskVerb.Test, options: [In("episodes", 1)], policies: [run])).Runs[0].Metric);
    }

    private string SmallRun()
    {
        var pool = Collect("default", episodes: 4);
        var run = Path.Combine(_dir, "small-run");
        TaskEngine.Run(Request(TaskVerb.Adapt, run) with { Adaptation = Adaptation(pool, epochs: 1) with { MaxSteps = 1 } });
        return run;
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
