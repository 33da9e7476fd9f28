using System.Text.Json.Nodes;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Core.Engine;
using NetLlm.Core.IO;

namespace NetLlm.Adaptation.Tests;

/// <summary>
/// A run directory survives interruption and concurrency: a cancelled adapt checkpoints and resumes to the same
/// weights, a run killed before its first checkpoint starts again, a kill inside the checkpoint swap is repaired, and
/// a second process on the same directory fails at once naming the holder.
/// </summary>
public sealed partial class EngineTests
{
    private VerbRequest AdaptRequest(string pool, string run, CancellationToken cancellation = default, bool resume = false) =>
        Request(TaskVerb.Adapt, run, "two") with
        {
            Context = new TaskContext { Verb = TaskVerb.Adapt, Seed = 17, Cancellation = cancellation },
            Adaptation = Adaptation(pool, 2) with { Resume = resume },
            ModelOptions = [In("two-components", true)],
        };

    private static void AssertSameWeights(string expected, string actual)
    {
        foreach (var file in new[] { "model.safetensors", Path.Combine("adapter", "adapter_model.safetensors") })
        {
            using var a = SafetensorsFile.Open(Path.Combine(expected, file));
            using var b = SafetensorsFile.Open(Path.Combine(actual, file));
            Assert.Equal(a.Entries.Keys.Order(), b.Entries.Keys.Order());
            foreach (var name in a.Entries.Keys)
            {
                using var ta = a.Read(name);
                using var tb = b.Read(name);
                Assert.True(ta.allclose(tb, rtol: 0, atol: 0), $"{file}: {name} differs");
            }
        }
    }

    private static string Status(string run) => JsonNode.Parse(File.ReadAllText(Path.Combine(run, "run.json")))!["status"]!.GetValue<string>();

    private (string Pool, string Whole) Reference()
    {
        var pool = Collect("two", episodes: 10);
        var whole = Path.Combine(_dir, "whole");
        TaskEngine.Run(AdaptRequest(pool, whole));
        Assert.Equal("completed", Status(whole));
        return (pool, whole);
    }

    private static string Interrupted(string pool, Func<string, string, CancellationToken, bool, VerbRequest> request, string run)
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var e = Assert.Throws<OperationCanceledException>(() => TaskEngine.Run(request(pool, run, cancelled.Token, false)));
        Assert.Contains("--resume", e.Message, StringComparison.Ordinal);
        Assert.Equal("interrupted", Status(run));
        var state = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "checkpoints", "last", TrainingLoop.StateFile)))!;
        Assert.Equal(1, state["step"]!.GetValue<long>());
        return run;
    }

    [Fact]
    public void CancelledAdapt_CheckpointsThenResumesToTheSameWeights()
    {
        var (pool, whole) = Reference();
        var run = Interrupted(pool, AdaptRequest, Path.Combine(_dir, "cancelled"));

        var resumed = TaskEngine.Run(AdaptRequest(pool, run, resume: true));

        Assert.Equal("completed", Status(run));
        Assert.Equal("completed", resumed.Runs[0].Details!["status"]!.GetValue<string>());
        AssertSameWeights(whole, run);
    }

    [Fact]
    public void RunKilledBeforeItsFirstCheckpoint_StartsAgainWithOrWithoutResume()
    {
        var (pool, whole) = Reference();
        foreach (var resume in new[] { false, true })
        {
            var run = Interrupted(pool, AdaptRequest, Path.Combine(_dir, $"killed-{resume}"));
            Directory.Delete(Path.Combine(run, "checkpoints"), recursive: true);
            var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "run.json")))!.AsObject();
            manifest["status"] = "running";
            File.WriteAllText(Path.Combine(run, "run.json"), manifest.ToJsonString());

            TaskEngine.Run(AdaptRequest(pool, run, resume: resume));

            Assert.Equal("completed", Status(run));
            AssertSameWeights(whole, run);
        }

        // A finished run is still protected: without --resume it is refused, not overwritten.
        var again = Assert.Throws<ArgumentException>(() => TaskEngine.Run(AdaptRequest(pool, whole)));
        Assert.Contains("already holds a run", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KillInsideTheCheckpointSwap_IsRepairedOnResume()
    {
        var (pool, whole) = Reference();
        var run = Interrupted(pool, AdaptRequest, Path.Combine(_dir, "swap"));
        var checkpoints = Path.Combine(run, "checkpoints");

        // What WriteDirectory leaves when killed between its two renames: the complete new folder under its temporary
        // name, the previous one moved aside, and no checkpoints/last.
        Directory.Move(Path.Combine(checkpoints, "last"), Path.Combine(checkpoints, ".last.0000aaaa.tmp"));
        Directory.CreateDirectory(Path.Combine(checkpoints, ".last.1111bbbb.old"));
        Directory.CreateDirectory(Path.Combine(checkpoints, ".last.2222cccc.tmp"));

        TaskEngine.Run(AdaptRequest(pool, run, resume: true));

        Assert.Equal("completed", Status(run));
        Assert.Equal(["last"], Directory.GetDirectories(checkpoints).Select(Path.GetFileName));
        AssertSameWeights(whole, run);
    }

    [Fact]
    public void SecondAdaptOnTheSameRunDirectory_FailsAtOnceNamingTheHolder()
    {
        var pool = Collect("two", episodes: 2);
        var run = Path.Combine(_dir, "held");
        using (RunLock.Acquire(run))
        {
            var e = Assert.Throws<IOException>(() => TaskEngine.Run(AdaptRequest(pool, run)));
            Assert.Contains($"run directory '{Path.GetFullPath(run)}' is in use by process {Environment.ProcessId}", e.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(run, "run.json")));
        }

        TaskEngine.Run(AdaptRequest(pool, run));
        Assert.Equal("completed", Status(run));
        Assert.False(File.Exists(Path.Combine(run, RunLock.OwnerFile)));
    }
}
