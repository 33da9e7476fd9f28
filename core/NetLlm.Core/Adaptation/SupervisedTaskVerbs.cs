using System.Globalization;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Backbones;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.IO;
using static TorchSharp.torch;

namespace NetLlm.Core.Adaptation;

/// <summary>
/// Adapt and Test for prediction tasks (supervised): the task's model (encoders, head, how a batch becomes a
/// backbone input) is trained with the shared loop on the train split, validated on the valid split after every
/// epoch, and the best epoch (lowest validation loss) is kept.
/// </summary>
public static class SupervisedTaskVerbs
{
    /// <summary>Creates a task model for a backbone width and model settings.</summary>
    /// <typeparam name="TSample">Sample type.</typeparam>
    /// <param name="embeddingDim">Backbone hidden size.</param>
    /// <param name="settings">Model settings.</param>
    public delegate ISupervisedModel<TSample> ModelFactory<TSample>(int embeddingDim, IReadOnlyDictionary<string, string> settings);

    /// <summary>Adapt: trains and writes the run directory <see cref="TaskRequest.Output"/>.</summary>
    /// <typeparam name="TSample">Sample type.</typeparam>
    /// <param name="taskId">Task id.</param>
    /// <param name="createModel">Task model factory.</param>
    /// <param name="train">Training samples.</param>
    /// <param name="valid">Validation samples.</param>
    /// <param name="data">Provenance of the data (dataset, split, counts, fingerprints).</param>
    /// <param name="request">The verb's request.</param>
    public static TaskReport Adapt<TSample>(string taskId, ModelFactory<TSample> createModel, IReadOnlyList<TSample> train, IReadOnlyList<TSample> valid, JsonObject data, TaskRequest request)
    {
        var options = AdaptationOptions.From(request.Arguments);
        var output = request.Output ?? throw new ArgumentException("option --out (the run directory) is required");
        var run = new RunDirectory(output);
        if (run.Exists && !options.Resume)
        {
            throw new ArgumentException($"run directory '{run.Path}' already holds a run; pass --resume to continue it or choose another --out");
        }

        manual_seed(request.Seed);
        using var adapted = AdaptedBackbone.Create(request.Registry, options, request.Seed);
        manual_seed(request.Seed + 1);
        using var model = createModel(adapted.Backbone.HiddenSize, options.ModelSettings);
        var lora = adapted.Lora?.CountParameters();
        var manifest = new JsonObject
        {
            ["format"] = "netllm-run",
            ["version"] = 1,
            ["task"] = taskId,
            ["kind"] = "prediction",
            ["seed"] = request.Seed,
            ["status"] = "running",
            ["created_utc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["backbone"] = adapted.Description.DeepClone(),
            ["adaptation"] = adapted.Options.ToJson(),
            ["data"] = data.DeepClone(),
            ["parameters"] = new JsonObject
            {
                ["backbone_trainable"] = lora?.Trainable ?? adapted.Backbone.Info.ParameterCount,
                ["backbone_total"] = lora?.Total ?? adapted.Backbone.Info.ParameterCount,
                ["task_model"] = model.Module.parameters().Sum(p => p.numel()),
            },
            ["versions"] = DecisionTaskVerbs.Versions(),
        };
        if (options.Resume)
        {
            run.CheckResumeMatches(manifest);
        }
        else
        {
            run.WriteManifest(manifest);
            adapted.SaveBase(run);
        }

        void SaveWeights(string dir)
        {
            adapted.SaveTrained(dir);
            ModuleStateFile.Save(model.Module, Path.Combine(dir, RunDirectory.ModelFile));
        }

        void LoadWeights(string dir)
        {
            adapted.LoadTrained(dir);
            ModuleStateFile.Load(model.Module, Path.Combine(dir, RunDirectory.ModelFile));
        }

        var trainable = adapted.TrainableParameters.Concat(model.Module.parameters().Where(p => p.requires_grad)).ToList();
        var random = new Random(request.Seed);
        double Validate(int epoch)
        {
            _ = epoch;
            model.Module.eval();
            adapted.Backbone.Module.eval();
            try
            {
                return -MeanValidationLoss(model, adapted.Backbone, valid, options.BatchSize);
            }
            finally
            {
                model.Module.train();
                adapted.Backbone.Module.train();
            }
        }

        var loop = new TrainingLoop(options, request.Seed, trainable, run, SaveWeights, LoadWeights);
        model.Module.train();
        adapted.Backbone.Module.train();
        var summary = loop.Run(train.Count, indices => model.TrainingLoss(adapted.Backbone, indices.Select(i => train[i]).ToList(), random), valid.Count > 0 ? Validate : null, request.Progress, request.Cancellation);
        // Final weights also when --max-steps stopped the run: it is a usable policy and can still be resumed.
        var final = summary.BestEpoch is not null ? run.BestCheckpoint : run.LastCheckpoint;
        adapted.LoadTrained(final);
        ModuleStateFile.Load(model.Module, Path.Combine(final, RunDirectory.ModelFile));
        SaveWeights(run.Path);

        manifest["status"] = summary.Stopped ? "stopped" : "completed";
        manifest["result"] = new JsonObject
        {
            ["steps"] = summary.Steps,
            ["epochs"] = summary.Epochs,
            ["last_loss"] = double.IsNaN(summary.LastLoss) ? null : summary.LastLoss,
            ["samples_per_s"] = summary.ItemsPerSecond,
            ["best_valid_loss"] = summary.BestMetric is { } m ? -m : null,
            ["best_epoch"] = summary.BestEpoch,
        };
        run.WriteManifest(manifest);
        var lines = new List<string>
        {
            $"Run directory: {run.Path} ({manifest["status"]})",
            string.Create(CultureInfo.InvariantCulture, $"{summary.Steps} optimiser steps, last loss {summary.LastLoss:0.00000}, best valid loss {(summary.BestMetric is { } b ? -b : double.NaN):0.00000} (epoch {summary.BestEpoch}), {summary.ItemsPerSecond:0.0} samples/s, seed {request.Seed}"),
        };
        if (adapted.Lora is not null)
        {
            lines.Add(adapted.Lora.Describe());
        }

        return new TaskReport
        {
            Json = new JsonObject
            {
                ["run_dir"] = run.Path,
                ["task"] = taskId,
                ["seed"] = request.Seed,
                ["status"] = manifest["status"]!.GetValue<string>(),
                ["result"] = manifest["result"]!.DeepClone(),
                ["parameters"] = manifest["parameters"]!.DeepClone(),
                ["backbone"] = adapted.Description.DeepClone(),
                ["data"] = data.DeepClone(),
            },
            Summary = lines,
        };
    }

    /// <summary>A trained prediction model loaded from a run directory. Dispose it to release the backbone.</summary>
    /// <typeparam name="TSample">Sample type.</typeparam>
    public sealed class LoadedRun<TSample> : IDisposable
    {
        private readonly AdaptedBackbone _adapted;

        internal LoadedRun(ISupervisedModel<TSample> model, AdaptedBackbone adapted, JsonObject manifest)
        {
            Model = model;
            _adapted = adapted;
            Manifest = manifest;
        }

        /// <summary>The task model.</summary>
        public ISupervisedModel<TSample> Model { get; }

        /// <summary>The backbone with its adapter.</summary>
        public IBackbone Backbone => _adapted.Backbone;

        /// <summary>The run manifest.</summary>
        public JsonObject Manifest { get; }

        /// <summary>Predictions for a batch (see <see cref="ISupervisedModel{TSample}.Predict"/>).</summary>
        /// <param name="batch">Samples.</param>
        public Tensor Predict(IReadOnlyList<TSample> batch)
        {
            using var noGrad = no_grad();
            return Model.Predict(Backbone, batch);
        }

        /// <inheritdoc />
        public void Dispose()
        {
            Model.Dispose();
            _adapted.Dispose();
        }
    }

    /// <summary>Loads a completed run of task <paramref name="taskId"/>.</summary>
    /// <typeparam name="TSample">Sample type.</typeparam>
    /// <param name="runDirectory">The run.</param>
    /// <param name="taskId">Expected task.</param>
    /// <param name="createModel">Task model factory.</param>
    /// <param name="request">Request (registry).</param>
    public static LoadedRun<TSample> Load<TSample>(string runDirectory, string taskId, ModelFactory<TSample> createModel, TaskRequest request)
    {
        var run = new RunDirectory(runDirectory);
        var manifest = run.ReadManifest();
        if (manifest["task"]?.GetValue<string>() != taskId)
        {
            throw new ArgumentException($"{run.Path}: the run adapted task '{manifest["task"]}', not '{taskId}'");
        }

        if (manifest["status"]?.GetValue<string>() is not ("completed" or "stopped"))
        {
            throw new ArgumentException($"{run.Path}: the run is '{manifest["status"]}', not completed or stopped at --max-steps (resume it with `netllm adapt --resume`)");
        }

        var settings = (manifest["adaptation"]?["model_settings"] as JsonObject)?.ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>()) ?? [];
        var adapted = AdaptedBackbone.Load(request.Registry, run, manifest, run.Path);
        try
        {
            var model = createModel(adapted.Backbone.HiddenSize, settings);
            ModuleStateFile.Load(model.Module, run.Combine(RunDirectory.ModelFile));
            model.Module.eval();
            return new LoadedRun<TSample>(model, adapted, manifest);
        }
        catch
        {
            adapted.Dispose();
            throw;
        }
    }

    private static double MeanValidationLoss<TSample>(ISupervisedModel<TSample> model, IBackbone backbone, IReadOnlyList<TSample> valid, int batchSize)
    {
        using var noGrad = no_grad();
        double total = 0;
        var count = 0;
        for (var start = 0; start < valid.Count; start += batchSize)
        {
            var batch = valid.Skip(start).Take(batchSize).ToList();
            total += model.ValidationLoss(backbone, batch) * batch.Count;
            count += batch.Count;
        }

        return total / Math.Max(count, 1);
    }
}
