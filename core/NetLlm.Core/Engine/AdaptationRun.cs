using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NetLlm.Abstractions.Plugins;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Core.IO;
using NetLlm.Core.Options;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Core.Engine;

/// <summary>What the shared trainer needs from a kind of adaptation (offline RL or supervised).</summary>
public sealed record AdaptationJob : IDisposable
{
    /// <summary>The task model (encoders, tokenizer or model, heads, embeddings): saved as <c>model.safetensors</c>.</summary>
    public required nn.Module Model { get; init; }

    /// <summary>Training items per epoch (windows or samples).</summary>
    public required int ItemCount { get; init; }

    /// <summary>Loss of a mini-batch of item indices (a scalar the caller owns).</summary>
    public required Func<int[], Tensor> Loss { get; init; }

    /// <summary>Evaluation after an epoch (higher is better), or null to keep the last epoch.</summary>
    public Func<int, double>? Evaluate { get; init; }

    /// <summary>What an item is, for the result (<c>windows</c>, <c>samples</c>).</summary>
    public required string Items { get; init; }

    /// <summary>Name of the best evaluation in the result (<c>best_eval</c>, <c>best_valid_loss</c>).</summary>
    public required string BestKey { get; init; }

    /// <summary>Maps the best evaluation (higher is better) to the reported value (for a loss: its negation).</summary>
    public Func<double, double> Reported { get; init; } = v => v;

    /// <summary>Task-specific entries of run.json (<c>pool</c> or <c>data</c>, <c>conditioning</c>, <c>model</c>).</summary>
    public required JsonObject Manifest { get; init; }

    /// <summary>Disposes what the job owns.</summary>
    public IDisposable? Owned { get; init; }

    /// <inheritdoc />
    public void Dispose() => Owned?.Dispose();
}

/// <summary>What an adaptation run ended with.</summary>
/// <param name="Run">The run directory.</param>
/// <param name="Manifest">Its final manifest.</param>
/// <param name="Summary">The trainer's summary.</param>
public sealed record AdaptationOutcome(RunDirectory Run, JsonObject Manifest, TrainingLoop.Summary Summary);

/// <summary>
/// The one adaptation path for every task kind: checks the run directory (a new run, or <c>--resume</c> of the same
/// options), builds the backbone with its adapter (seeded), builds the task model (seeded), writes run.json, trains with
/// the shared loop (atomic checkpoints, exact resume), then promotes the best (or last) weights into the run directory
/// through a complete staging folder, and records the result.
/// </summary>
public static class AdaptationRun
{
    /// <summary>Runs the adaptation.</summary>
    /// <param name="context">Seed, progress, cancellation.</param>
    /// <param name="registry">Loaded plugins.</param>
    /// <param name="task">The task.</param>
    /// <param name="options">Adaptation hyper-parameters.</param>
    /// <param name="output">Run directory.</param>
    /// <param name="createJob">Builds the task model and the loss for the backbone (called after seeding with seed + 1).</param>
    public static AdaptationOutcome Run(TaskContext context, IPluginRegistry registry, TaskInfo task, AdaptationOptions options, string? output, Func<AdaptedBackbone, AdaptationJob> createJob)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(createJob);
        options.Validate();
        var run = new RunDirectory(output ?? throw new ArgumentException("no run directory given: adapt writes one"));
        var resumeOption = OptionNames.Of<AdaptationOptions>(nameof(AdaptationOptions.Resume));

        // One process per run directory: a second adapt on it fails here, naming the holder.
        using var hold = RunLock.Acquire(run.Path);
        run.RecoverCheckpoints();

        // A run that stopped (killed, interrupted) before its first checkpoint has nothing to resume and nothing to
        // lose: it starts again from step 0, with or without --resume.
        var restart = run.Exists && !run.HasCheckpoint && run.ReadManifest()["status"]?.GetValue<string>() is "running" or "interrupted";
        if (run.Exists && !options.Resume && !restart)
        {
            throw new ArgumentException($"run directory '{run.Path}' already holds a run; continue it with {resumeOption} or choose another run directory");
        }

        if (options.Resume && !run.HasCheckpoint && !restart)
        {
            throw new ArgumentException($"{resumeOption}: '{run.Path}' has no checkpoint to resume from");
        }

        if (restart)
        {
            context.Logger.LogWarning("{Run} holds a run that stopped before its first checkpoint; starting it again from step 0", run.Path);
        }

        var seed = context.Seed;
        manual_seed(seed);
        using var adapted = AdaptedBackbone.Create(registry, options, seed);
        manual_seed(seed + 1);
        using var job = createJob(adapted);
        var lora = adapted.Lora?.CountParameters();
        var manifest = new JsonObject
        {
            ["format"] = RunDirectory.ManifestFormat,
            ["version"] = RunDirectory.ManifestVersion,
            ["task"] = task.Id,
            ["kind"] = task.Kind == TaskKind.Decision ? "decision" : "prediction",
            ["seed"] = seed,
            ["status"] = "running",
            ["created_utc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["backbone"] = adapted.Description.DeepClone(),
            ["adaptation"] = adapted.Options.ToJson(),
        };
        foreach (var (key, value) in job.Manifest)
        {
            manifest[key] = value?.DeepClone();
        }

        manifest["parameters"] = new JsonObject
        {
            ["backbone_trainable"] = lora?.Trainable ?? (options.Rank == 0 ? 0 : adapted.Backbone.Info.ParameterCount),
            ["backbone_total"] = lora?.Total ?? adapted.Backbone.Info.ParameterCount,
            ["task_model"] = job.Model.parameters().Sum(p => p.numel()),
        };
        manifest["versions"] = Versions();
        if (options.Resume)
        {
            run.CheckResumeMatches(manifest);
        }

        if (!options.Resume || restart)
        {
            run.ClearProgress();
            run.WriteManifest(manifest);
            adapted.SaveBase(run);
        }

        void SaveWeights(string dir)
        {
            adapted.SaveTrained(dir);
            ModuleStateFile.Save(job.Model, Path.Combine(dir, RunDirectory.ModelFile));
        }

        void LoadWeights(string dir)
        {
            adapted.LoadTrained(dir);
            ModuleStateFile.Load(job.Model, Path.Combine(dir, RunDirectory.ModelFile));
        }

        var trainable = adapted.TrainableParameters.Concat(job.Model.parameters().Where(p => p.requires_grad)).ToList();
        var loop = new TrainingLoop(options, seed, trainable, run, SaveWeights, LoadWeights);
        adapted.Backbone.Module.train();
        job.Model.train();
        TrainingLoop.Summary summary;
        try
        {
            summary = loop.Run(job.ItemCount, job.Loss, job.Evaluate, context.Progress, context.Cancellation);
        }
        catch (OperationCanceledException)
        {
            // The loop wrote a checkpoint before stopping: record it, so --resume continues from there.
            manifest["status"] = "interrupted";
            run.WriteManifest(manifest);
            throw new OperationCanceledException($"adaptation interrupted; its checkpoint is in {run.LastCheckpoint}: continue with the same command and {resumeOption}");
        }

        // Final weights also when --max-steps stopped the run: it is a usable policy and can still be resumed.
        var final = summary.BestEpoch is not null ? run.BestCheckpoint : run.LastCheckpoint;
        Promote(run, final);
        manifest["status"] = summary.Stopped ? "stopped" : "completed";
        manifest["result"] = new JsonObject
        {
            ["steps"] = summary.Steps,
            ["epochs"] = summary.Epochs,
            ["last_loss"] = double.IsNaN(summary.LastLoss) ? null : summary.LastLoss,
            [job.Items + "_per_s"] = summary.ItemsPerSecond,
            [job.BestKey] = summary.BestMetric is { } best ? job.Reported(best) : null,
            ["best_epoch"] = summary.BestEpoch,
            ["weights_from"] = summary.BestEpoch is not null ? "best" : "last",
        };
        run.WriteManifest(manifest);
        return new AdaptationOutcome(run, manifest, summary);
    }

    /// <summary>Versions recorded with every run.</summary>
    public static JsonObject Versions() => new()
    {
        ["netllm_core"] = typeof(AdaptationRun).Assembly.GetName().Version?.ToString(),
        ["torchsharp"] = typeof(torch).Assembly.GetName().Version?.ToString(),
        ["dotnet"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
    };

    /// <summary>
    /// Copies the trained weights of checkpoint folder <paramref name="from"/> (not the optimiser or trainer state)
    /// into a complete staging folder, then moves each entry into the run directory.
    /// </summary>
    /// <param name="run">The run.</param>
    /// <param name="from">A checkpoint folder.</param>
    public static void Promote(RunDirectory run, string from)
    {
        ArgumentNullException.ThrowIfNull(run);
        var staging = run.Combine(RunDirectory.AdapterFolder + ".staging");
        AtomicFile.WriteDirectory(staging, dir =>
        {
            foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(from, file);
                if (relative is TrainingLoop.StateFile or TrainingLoop.OptimizerFile)
                {
                    continue;
                }

                var target = Path.Combine(dir, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target, overwrite: true);
            }
        });

        foreach (var entry in Directory.GetFileSystemEntries(staging))
        {
            var target = run.Combine(Path.GetFileName(entry));
            if (Directory.Exists(entry))
            {
                if (Directory.Exists(target))
                {
                    Directory.Delete(target, recursive: true);
                }

                Directory.Move(entry, target);
            }
            else
            {
                File.Move(entry, target, overwrite: true);
            }
        }

        Directory.Delete(staging, recursive: true);
    }
}
