using System.Globalization;
using System.Text.Json.Nodes;
using NetLlm.Templates.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NetLlm.Templates.Tests;

/// <summary>
/// A new decision task from the templates, end to end, outside the repository: the <c>netllm-decision-task</c>
/// project's encoder slot names the encoder of a <c>netllm-encoder</c> project; both are built, tested, packed and
/// installed with <c>netllm plugins install</c> (<see cref="SmokeWorkspace"/>); then the CLI built from this checkout
/// checks the data root (a bad trace file fails naming its file and line), collects an experience pool with two
/// policies, adapts the tiny Llama preset for a few optimiser steps, tests the run against a baseline and writes an
/// evaluation report. No host code knows the task.
/// </summary>
[Collection(SmokeCollection.Name)]
public sealed class DecisionTaskEndToEndTests
{
    private const string Task = SmokeWorkspace.DecisionTaskId;
    private readonly SmokeWorkspace _workspace;
    private readonly ITestOutputHelper _output;

    public DecisionTaskEndToEndTests(SmokeWorkspace workspace, ITestOutputHelper output)
    {
        _workspace = workspace;
        _output = output;
    }

    [Fact]
    public void DataCheck_PassesOnGoodTraces_AndNamesTheFileAndLineOfABadOne()
    {
        var root = DataRoot("data-check");
        string[] arguments = ["data", "check", "--data-root", root, "--json", "--plugins-dir", _workspace.PluginsDirectory];

        var good = ProcessRunner.Netllm(_workspace.Root, arguments);
        var bad = Path.Combine(root, Task, "traces", "zz-bad.txt");
        File.WriteAllLines(bad, ["# capacities", "1 2 3", "4 five 6"]);
        var failed = ProcessRunner.Netllm(_workspace.Root, arguments);

        Assert.Equal(0, good.ExitCode);
        Assert.True(JsonNode.Parse(good.Stdout)!["ok"]!.GetValue<bool>());
        Assert.Equal(1, failed.ExitCode);
        var item = JsonNode.Parse(failed.Stdout)!["items"]!.AsArray().Single(i => i!["task"]!.GetValue<string>() == Task)!;
        Assert.Equal("invalid", item["status"]!.GetValue<string>());
        Assert.Equal($"{bad}:3: capacity 'five' of link 1 is not a finite non-negative number (Mbit/s)", item["detail"]!.GetValue<string>());
    }

    [Fact]
    public void CollectAdaptTestEval_RunTheGeneratedTaskThroughTheCli()
    {
        var root = DataRoot("pipeline");
        var work = Directory.CreateDirectory(Path.Combine(_workspace.Root, "decision")).FullName;
        var pool = Path.Combine(work, "pool.safetensors");
        var run = Path.Combine(work, "run");
        var report = Path.Combine(work, "report");
        string[] plugins = ["--plugins-dir", Repository.BundledPlugins, "--plugins-dir", _workspace.PluginsDirectory];
        string[] common = ["--json", "--progress", "none", "--seed", "1", .. plugins];

        var collect = ProcessRunner.Netllm(work, ["collect", "--task", Task, "--policy", $"{Task}.greedy,{Task}.random", "--episodes", "4", "--out", pool, .. common]).EnsureSuccess();
        var adapt = ProcessRunner.Netllm(work, ["adapt", "--task", Task, "--pool", pool, "--backbone", "llama-tiny-2x256", "--epochs", "1", "--w", "10", "--batch-size", "8", "--rank", "4", "--warmup-steps", "0", "--out", run, .. common]).EnsureSuccess();
        var test = ProcessRunner.Netllm(work, ["test", "--task", Task, "--setting", "traces", "--data-root", root, "--policy", $"{run},{Task}.greedy", .. common]).EnsureSuccess();
        var eval = ProcessRunner.Netllm(work, ["eval", "--task", Task, "--policies", $"{run},{Task}.greedy,{Task}.random", "--settings", "traces", "--data-root", root, "--report", report, "--no-plots", "--parallel", "1", .. common]).EnsureSuccess();

        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"collect {collect.Seconds:F1} s, adapt {adapt.Seconds:F1} s, test {test.Seconds:F1} s, eval {eval.Seconds:F1} s"));

        // collect: 2 policies x 4 episodes x 40 steps of generated traces
        var collected = JsonNode.Parse(collect.Stdout)!;
        Assert.Equal(pool, collected["artifacts"]!["pool"]!.GetValue<string>());
        Assert.All(collected["results"]!.AsArray(), r => Assert.Equal(160, r!["run"]!["steps"]!.GetValue<int>()));

        // adapt: 320 steps in windows of 10, 8 windows per optimiser step; the slot holds the generated encoder
        var adapted = JsonNode.Parse(adapt.Stdout)!["results"]![0]!["run"]!;
        Assert.Equal("completed", adapted["status"]!.GetValue<string>());
        Assert.Equal(4, adapted["result"]!["steps"]!.GetValue<int>());
        Assert.Equal("llama-tiny-2x256", adapted["backbone"]!["preset"]!.GetValue<string>());
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "run.json")))!;
        Assert.Equal(SmokeWorkspace.EncoderId, manifest["model"]!["encoders"]!["history"]!["id"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(run, "adapter", "adapter_model.safetensors")));

        // test: the run and the baseline on the 3 trace files, one item per episode
        var tested = JsonNode.Parse(test.Stdout)!;
        Assert.Equal("traces", tested["setting"]!.GetValue<string>());
        Assert.Equal([run, Task + ".greedy"], tested["results"]!.AsArray().Select(r => r!["policy"]!.GetValue<string>()));
        Assert.All(tested["results"]!.AsArray(), r => Assert.Equal(3, r!["items"]!.AsArray().Count));
        Assert.All(tested["results"]!.AsArray(), r => Assert.InRange(r!["metric"]!.GetValue<double>(), 0.0, 10.0));

        // eval: the report with the task's metric label
        Assert.True(File.Exists(Path.Combine(report, "results.json")));
        var summary = File.ReadAllText(Path.Combine(report, "summary.md"));
        Assert.Contains("mean_throughput (Mbit/s)", summary);
        Assert.Contains($"`{Task}.random`", summary);
    }

    /// <summary>A data root with 3 valid trace files for the decision task and 5 for the prediction task (whose data check runs too).</summary>
    private string DataRoot(string name)
    {
        var root = Path.Combine(_workspace.Root, "data-" + name);
        var random = new Random(3);
        var links = Directory.CreateDirectory(Path.Combine(root, Task, "traces")).FullName;
        for (var t = 0; t < 3; t++)
        {
            File.WriteAllLines(Path.Combine(links, $"link-{t}.txt"), Enumerable.Range(0, 30).Select(_ => string.Join(' ', Enumerable.Range(0, 3).Select(_ => (1 + (9 * random.NextDouble())).ToString("0.00", CultureInfo.InvariantCulture)))));
        }

        var throughput = Directory.CreateDirectory(Path.Combine(root, SmokeWorkspace.TaskId, "traces")).FullName;
        for (var t = 0; t < 5; t++)
        {
            File.WriteAllLines(Path.Combine(throughput, $"bw-{t}.txt"), Enumerable.Range(0, 20).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i} {1 + random.NextDouble():0.000}")));
        }

        return root;
    }
}
