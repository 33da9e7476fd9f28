using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Core.IO;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Tasks.ViewportPrediction.Adaptation;

/// <summary>
/// The <c>adapt</c> verb for viewport prediction, built from NetLlm.Core's shared pieces (backbone + LoRA creation,
/// the training loop with checkpoints and resume, run directories): trains <see cref="VpModel"/> and the adapter on the
/// train split, evaluates the autoregressive MSE on the valid split after every epoch (the original's validation
/// loss) and keeps the best epoch. The run directory has the layout of the decision tasks' runs
/// (<c>run.json</c>, <c>metrics.jsonl</c>, <c>checkpoints/</c>, final <c>adapter/</c> and <c>model.safetensors</c>).
/// </summary>
public static class ViewportAdaptation
{
    /// <summary>Runs the verb; <paramref name="arguments"/> are the request's options merged with the setting.</summary>
    /// <param name="request">The request (output = run directory, registry, seed).</param>
    /// <param name="arguments">Merged options.</param>
    public static TaskReport Adapt(TaskRequest request, TaskArguments arguments)
    {
        var options = AdaptationOptions.From(arguments);
        var output = request.Output ?? throw new ArgumentException("option --out (the run directory) is required");
        var data = ViewportTaskOptions.Parse(arguments).Data;
        var modelOptions = VpModelOptions.FromSettings(options.ModelSettings);
        var validLimit = arguments.Integer("valid-samples", 0);
        if (validLimit < 0)
        {
            throw new ArgumentException($"option --valid-samples: {validLimit} must not be negative");
        }

        var run = new RunDirectory(output);
        if (run.Exists && !options.Resume)
        {
            throw new ArgumentException($"run directory '{run.Path}' already holds a run; pass --resume to continue it or choose another --out");
        }

        if (options.Resume && !run.HasCheckpoint)
        {
            throw new ArgumentException($"--resume: '{run.Path}' has no checkpoint to resume from");
        }

        var train = ViewportDataset.Load(request.DataRoot, data with { Split = ViewportSplit.Train }, request.Cancellation).Samples;
        var validAll = ViewportDataset.Load(request.DataRoot, data with { Split = ViewportSplit.Valid }, request.Cancellation).Samples;
        var valid = validLimit > 0 ? validAll.Take(validLimit).ToList() : validAll;

        manual_seed(request.Seed);
        using var adapted = AdaptedBackbone.Create(request.Registry, options, request.Seed);
        manual_seed(request.Seed + 1);
        using var model = new VpModel(adapted.Backbone.HiddenSize, modelOptions);
        model.Module.to(adapted.Backbone.Device);
        var lora = adapted.Lora?.CountParameters();
        var manifest = new JsonObject
        {
            ["format"] = "netllm-run",
            ["version"] = 1,
            ["task"] = ViewportPredictionTask.TaskId,
            ["kind"] = ViewportRunManifest.Kind,
            ["seed"] = request.Seed,
            ["status"] = "running",
            ["created_utc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["backbone"] = adapted.Description.DeepClone(),
            ["adaptation"] = options.ToJson(),
            [ViewportRunManifest.ModelSettings] = new JsonObject(modelOptions.ToSettings().Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            [ViewportRunManifest.Data] = new JsonObject
            {
                ["dataset"] = data.Dataset.Name,
                ["history"] = data.Window.History,
                ["future"] = data.Window.Future,
                ["trim_head"] = data.Window.TrimHead,
                ["trim_tail"] = data.Window.TrimTail,
                ["step"] = data.Window.Step,
                ["train_samples"] = train.Count,
                ["valid_samples"] = valid.Count,
            },
            ["parameters"] = new JsonObject
            {
                ["backbone_trainable"] = lora?.Trainable ?? adapted.Backbone.Info.ParameterCount,
                ["backbone_total"] = lora?.Total ?? adapted.Backbone.Info.ParameterCount,
                ["task_model"] = model.Module.parameters().Sum(p => p.numel()),
            },
            ["versions"] = DecisionTaskVerbs.Versions(),
        };
        if (!options.Resume)
        {
            run.WriteManifest(manifest);
            adapted.SaveBase(run);
        }

        var trainable = adapted.TrainableParameters.Concat(model.Module.parameters().Where(p => p.requires_grad)).ToList();
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

        var validLosses = new List<double>();
        double Evaluate(int epoch)
        {
            var loss = ValidationLoss(model, adapted, valid, options.BatchSize * 8, request.Cancellation);
            validLosses.Add(loss);
            request.Logger.LogInformation("vp adapt epoch {Epoch}: valid autoregressive MSE {Loss}", epoch, loss);
            return -loss;
        }

        var random = new Random(request.Seed);
        var loop = new TrainingLoop(options, request.Seed, trainable, run, SaveWeights, LoadWeights);
        adapted.Backbone.Module.train();
        model.Module.train();
        var summary = loop.Run(
            train.Count,
            indices => model.TrainingLoss(adapted.Backbone, indices.Select(i => train[i]).ToList(), random),
            Evaluate,
            request.Progress,
            request.Cancellation);

        if (!summary.Stopped)
        {
            PromoteWeights(summary.BestEpoch is not null ? run.BestCheckpoint : run.LastCheckpoint, run);
        }

        manifest["status"] = summary.Stopped ? "stopped" : "completed";
        manifest["result"] = new JsonObject
        {
            ["steps"] = summary.Steps,
            ["epochs"] = summary.Epochs,
            ["last_loss"] = double.IsNaN(summary.LastLoss) ? null : summary.LastLoss,
            ["samples_per_s"] = summary.ItemsPerSecond,
            ["best_valid_loss"] = summary.BestMetric is { } m ? -m : null,
            ["best_epoch"] = summary.BestEpoch,
            ["valid_losses"] = new JsonArray(validLosses.Select(v => (JsonNode?)v).ToArray()),
            ["weights_from"] = summary.Stopped ? null : (summary.BestEpoch is not null ? "best" : "last"),
        };
        run.WriteManifest(manifest);
        var json = new JsonObject
        {
            ["run_dir"] = run.Path,
            ["task"] = ViewportPredictionTask.TaskId,
            ["seed"] = request.Seed,
            ["status"] = manifest["status"]!.GetValue<string>(),
            ["result"] = manifest["result"]!.DeepClone(),
            ["parameters"] = manifest["parameters"]!.DeepClone(),
            ["backbone"] = adapted.Description.DeepClone(),
            [ViewportRunManifest.Data] = manifest[ViewportRunManifest.Data]!.DeepClone(),
        };
        var lines = new List<string>
        {
            $"Run directory: {run.Path} ({manifest["status"]})",
            string.Create(CultureInfo.InvariantCulture,
                $"{summary.Steps} optimiser steps over {train.Count} samples, last loss {summary.LastLoss:0.00000}, best valid MSE {(summary.BestMetric is { } b ? -b : double.NaN):0.00000} (epoch {summary.BestEpoch}), {summary.ItemsPerSecond:0.0} samples/s, seed {request.Seed}"),
        };
        if (adapted.Lora is not null)
        {
            lines.Add(adapted.Lora.Describe());
        }

        return new TaskReport { Json = json, Metric = summary.BestMetric is { } best ? -best : null, Summary = lines };
    }

    /// <summary>Mean autoregressive MSE (normalised units) over <paramref name="samples"/>, in eval mode.</summary>
    private static double ValidationLoss(VpModel model, AdaptedBackbone adapted, IReadOnlyList<ViewportSample> samples, int batchSize, CancellationToken cancellation)
    {
        model.Module.eval();
        adapted.Backbone.Module.eval();
        try
        {
            double sum = 0;
            for (var start = 0; start < samples.Count; start += batchSize)
            {
                cancellation.ThrowIfCancellationRequested();
                var batch = samples.Skip(start).Take(batchSize).ToList();
                sum += model.ValidationLoss(adapted.Backbone, batch) * batch.Count;
            }

            return sum / samples.Count;
        }
        finally
        {
            model.Module.train();
            adapted.Backbone.Module.train();
        }
    }

    /// <summary>Copies the chosen checkpoint's weights (not the trainer state) into the run folder.</summary>
    private static void PromoteWeights(string checkpoint, RunDirectory run)
    {
        foreach (var file in Directory.GetFiles(checkpoint, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(checkpoint, file);
            if (relative is TrainingLoop.StateFile or TrainingLoop.OptimizerFile)
            {
                continue;
            }

            var target = run.Combine(relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
