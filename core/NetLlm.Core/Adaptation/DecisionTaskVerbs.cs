using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Environments;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.IO;
using static TorchSharp.torch;

namespace NetLlm.Core.Adaptation;

/// <summary>
/// The paper's RL_Collect, Adapt and Test APIs for any decision task, driven through the task's
/// <see cref="IDecisionTaskBinding{TState,TAction}"/>. Task plugins call these from their Run method.
/// </summary>
public static class DecisionTaskVerbs
{
    /// <summary>Options of the Test verb for adapted runs (added to the CLI by the host).</summary>
    public static IReadOnlyList<TaskOptionSpec> TestSpecs { get; } =
    [
        new("argmax", "Take the most likely action instead of sampling (adapted runs and sampling baselines)", OptionKind.Flag, [TaskVerb.Test]),
        new("original-context", "Adapted runs: never clear the decision context between episodes and keep w+1 steps (the original's behaviour)", OptionKind.Flag, [TaskVerb.Test]),
        new("recompute", "Adapted runs: recompute the whole context window at every decision instead of using the KV cache", OptionKind.Flag, [TaskVerb.Test]),
        new("original-action-timestep", "Adapted runs: no timestep embedding on action tokens at inference (the original CJS behaviour)", OptionKind.Flag, [TaskVerb.Test]),
        new("target-return-scale", "Adapted runs: target return = this x the largest return in the pool (default: the run's)", OptionKind.Real, [TaskVerb.Test]),
    ];

    /// <summary>
    /// RL_Collect: runs each policy for <paramref name="episodes"/> episodes in the task environment and writes the
    /// experience pool to <see cref="TaskRequest.Output"/>.
    /// </summary>
    /// <typeparam name="TState">Observation type.</typeparam>
    /// <typeparam name="TAction">Action type.</typeparam>
    /// <param name="binding">The task binding.</param>
    /// <param name="request">The verb's request (policies, seed, output).</param>
    /// <param name="episodes">Episodes per policy.</param>
    /// <param name="createPolicy">Creates a policy from its id (baselines or adapted runs).</param>
    /// <param name="policies">Policy ids (default: the request's).</param>
    public static TaskReport Collect<TState, TAction>(IDecisionTaskBinding<TState, TAction> binding, TaskRequest request, int episodes, Func<string, IPolicy<TState, TAction>> createPolicy, IReadOnlyList<string>? policies = null)
    {
        var ids = policies ?? request.Policies;
        var output = request.Output ?? throw new ArgumentException("option --out (the experience pool file) is required");
        if (ids.Count == 0)
        {
            throw new ArgumentException("option --policy is required: the policies whose experience is collected");
        }

        if (episodes < 1)
        {
            throw new ArgumentException($"episodes per policy must be at least 1 (got {episodes})");
        }

        var builder = new ExperiencePoolBuilder<TState>(binding.TaskId, binding.StateCodec);
        var perPolicy = new JsonArray();
        var clock = Stopwatch.StartNew();
        using var bar = request.Progress.Start("collect", (double)episodes * ids.Count);
        for (var k = 0; k < ids.Count; k++)
        {
            var id = ids[k];
            using var policy = createPolicy(id);
            using var env = binding.CreateEnvironment(request);
            var stepsBefore = builder.Count;
            double returns = 0;
            var observation = env.Reset(request.Seed + k).Observation;
            for (var e = 0; e < episodes; e++)
            {
                request.Cancellation.ThrowIfCancellationRequested();
                if (e > 0)
                {
                    observation = env.Reset().Observation;
                }

                policy.BeginEpisode();
                while (true)
                {
                    var action = policy.Act(observation);
                    var step = env.Step(action);
                    builder.Add(observation, binding.ToComponents(observation, action), step.Reward, step.Done);
                    returns += step.Reward;
                    policy.Observe(step.Reward, step.Done);
                    observation = step.Observation;
                    if (step.Done)
                    {
                        break;
                    }
                }

                bar.Advance(1, $"{id}: {builder.Count} steps");
            }

            perPolicy.Add(new JsonObject
            {
                ["policy"] = id,
                ["episodes"] = episodes,
                ["steps"] = builder.Count - stepsBefore,
                ["mean_episode_return"] = returns / episodes,
                ["env_seed"] = request.Seed + k,
            });
        }

        var info = new JsonObject
        {
            ["policies"] = perPolicy,
            ["seed"] = request.Seed,
            ["setting"] = request.Setting,
            ["arguments"] = new JsonObject(request.Arguments.Values.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["created_utc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        };
        var pool = builder.Build(info);
        pool.Save(output);
        var json = new JsonObject
        {
            ["pool"] = Path.GetFullPath(output),
            ["task"] = binding.TaskId,
            ["steps"] = pool.Count,
            ["episodes"] = builder.Episodes,
            ["policies"] = perPolicy.DeepClone(),
            ["seed"] = request.Seed,
            ["seconds"] = clock.Elapsed.TotalSeconds,
        };
        return new TaskReport
        {
            Json = json,
            Summary =
            [
                $"Experience pool: {Path.GetFullPath(output)}",
                $"{pool.Count} steps in {builder.Episodes} episodes from {ids.Count} policies (seed {request.Seed})",
            ],
        };
    }

    /// <summary>
    /// Adapt: trains the task's encoders and heads and a LoRA adapter on the frozen backbone from the experience
    /// pool (option <c>--pool</c>), writing the run directory <see cref="TaskRequest.Output"/>.
    /// </summary>
    /// <typeparam name="TState">Observation type.</typeparam>
    /// <typeparam name="TAction">Action type.</typeparam>
    /// <param name="binding">The task binding.</param>
    /// <param name="request">The verb's request.</param>
    public static TaskReport Adapt<TState, TAction>(IDecisionTaskBinding<TState, TAction> binding, TaskRequest request)
    {
        var options = AdaptationOptions.From(request.Arguments);
        var output = request.Output ?? throw new ArgumentException("option --out (the run directory) is required");
        var poolPath = request.Arguments.Text("pool") ?? throw new ArgumentException("option --pool (an experience pool from `netllm collect`) is required");
        var run = new RunDirectory(output);
        if (run.Exists && !options.Resume)
        {
            throw new ArgumentException($"run directory '{run.Path}' already holds a run; pass --resume to continue it or choose another --out");
        }

        if (options.Resume && !run.HasCheckpoint)
        {
            throw new ArgumentException($"--resume: '{run.Path}' has no checkpoint to resume from");
        }

        var pool = ExperiencePool.Load(poolPath);
        if (pool.TaskId != binding.TaskId)
        {
            throw new InvalidDataException($"{poolPath}: the pool was collected for task '{pool.TaskId}', not '{binding.TaskId}'");
        }

        var states = pool.States(binding.StateCodec);
        var (conditioning, returnsToGo) = ReturnConditioning.FromPool(pool, options.Gamma, options.ReturnScale);
        var windows = DecisionWindows.Cut(pool, options.Window, options.SampleStep, options.CrossEpisodeWindows);
        manual_seed(request.Seed);
        using var adapted = AdaptedBackbone.Create(request.Registry, options, request.Seed);
        manual_seed(request.Seed + 1);
        using var model = new ReturnConditionedModel<TState>(binding.CreateModel(adapted.Backbone.HiddenSize, options.ModelSettings), conditioning.MaxTimestep);
        var lora = adapted.Lora?.CountParameters();
        var modelParameters = model.parameters().Sum(p => p.numel());
        var manifest = new JsonObject
        {
            ["format"] = "netllm-run",
            ["version"] = 1,
            ["task"] = binding.TaskId,
            ["kind"] = "decision",
            ["seed"] = request.Seed,
            ["status"] = "running",
            ["created_utc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["backbone"] = adapted.Description.DeepClone(),
            ["adaptation"] = adapted.Options.ToJson(),
            ["conditioning"] = conditioning.ToJson(),
            ["action_components"] = model.Task.ActionComponents,
            ["pool"] = new JsonObject
            {
                ["path"] = Path.GetFullPath(poolPath),
                ["sha256"] = ExperiencePool.Fingerprint(poolPath),
                ["steps"] = pool.Count,
                ["episodes"] = pool.Episodes.Length == 0 ? 0 : pool.Episodes.Max() + 1,
                ["windows"] = windows.Count,
                ["info"] = pool.Info.DeepClone(),
            },
            ["parameters"] = new JsonObject
            {
                ["backbone_trainable"] = lora?.Trainable ?? adapted.Backbone.Info.ParameterCount,
                ["backbone_total"] = lora?.Total ?? adapted.Backbone.Info.ParameterCount,
                ["task_model"] = modelParameters,
            },
            ["versions"] = Versions(),
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

        var trainable = adapted.TrainableParameters.Concat(model.parameters().Where(p => p.requires_grad)).ToList();
        void SaveWeights(string dir)
        {
            adapted.SaveTrained(dir);
            ModuleStateFile.Save(model, Path.Combine(dir, RunDirectory.ModelFile));
        }

        void LoadWeights(string dir)
        {
            adapted.LoadTrained(dir);
            ModuleStateFile.Load(model, Path.Combine(dir, RunDirectory.ModelFile));
        }

        Func<int, double>? evaluate = null;
        if (options.EvalEpisodes > 0)
        {
            evaluate = _ => Evaluate(binding, request, model, adapted, conditioning, options);
        }

        var loop = new TrainingLoop(options, request.Seed, trainable, run, SaveWeights, LoadWeights);
        adapted.Backbone.Module.train();
        model.train();
        var summary = loop.Run(windows.Count, indices =>
        {
            var batch = DecisionBatch<TState>.From(indices.Select(i => windows[i]).ToList(), states, pool, returnsToGo);
            return model.Loss(adapted.Backbone, batch);
        }, evaluate, request.Progress, request.Cancellation);

        var final = summary.BestEpoch is not null ? run.BestCheckpoint : run.LastCheckpoint;
        // Final weights also when --max-steps stopped the run: it is a usable policy and can still be resumed.
        AtomicFile.WriteDirectory(run.Combine(RunDirectory.AdapterFolder + ".staging"), dir => CopyTrained(final, dir));
        PromoteFinal(run);

        manifest["status"] = summary.Stopped ? "stopped" : "completed";
        manifest["result"] = new JsonObject
        {
            ["steps"] = summary.Steps,
            ["epochs"] = summary.Epochs,
            ["last_loss"] = double.IsNaN(summary.LastLoss) ? null : summary.LastLoss,
            ["windows_per_s"] = summary.ItemsPerSecond,
            ["best_eval"] = summary.BestMetric,
            ["best_epoch"] = summary.BestEpoch,
            ["weights_from"] = summary.BestEpoch is not null ? "best" : "last",
        };
        run.WriteManifest(manifest);
        var json = new JsonObject
        {
            ["run_dir"] = run.Path,
            ["task"] = binding.TaskId,
            ["seed"] = request.Seed,
            ["status"] = manifest["status"]!.GetValue<string>(),
            ["result"] = manifest["result"]!.DeepClone(),
            ["parameters"] = manifest["parameters"]!.DeepClone(),
            ["backbone"] = adapted.Description.DeepClone(),
        };
        var lines = new List<string>
        {
            $"Run directory: {run.Path} ({manifest["status"]})",
            string.Create(CultureInfo.InvariantCulture, $"{summary.Steps} optimiser steps, last loss {summary.LastLoss:0.0000}, {summary.ItemsPerSecond:0.0} windows/s, seed {request.Seed}"),
        };
        if (adapted.Lora is not null)
        {
            lines.Add(adapted.Lora.Describe());
        }

        return new TaskReport { Json = json, Summary = lines };
    }

    /// <summary>
    /// Loads an adapted run directory as a policy. Inference options come from the request's arguments:
    /// <c>argmax</c>, <c>original-context</c>, <c>recompute</c>, <c>original-action-timestep</c>, <c>target-return-scale</c>.
    /// </summary>
    /// <typeparam name="TState">Observation type.</typeparam>
    /// <typeparam name="TAction">Action type.</typeparam>
    /// <param name="runDirectory">The run.</param>
    /// <param name="binding">The task binding.</param>
    /// <param name="request">The request (registry, seed, options).</param>
    public static ReturnConditionedPolicy<TState, TAction> LoadPolicy<TState, TAction>(string runDirectory, IDecisionTaskBinding<TState, TAction> binding, TaskRequest request)
    {
        var run = new RunDirectory(runDirectory);
        var manifest = run.ReadManifest();
        var task = manifest["task"]?.GetValue<string>();
        if (task != binding.TaskId)
        {
            throw new ArgumentException($"{run.Path}: the run adapted task '{task}', not '{binding.TaskId}'");
        }

        if (manifest["status"]?.GetValue<string>() is not ("completed" or "stopped"))
        {
            throw new ArgumentException($"{run.Path}: the run is '{manifest["status"]}', not completed or stopped at --max-steps (resume it with `netllm adapt --resume`)");
        }

        var source = run.Combine(RunDirectory.ManifestFile);
        var adaptation = manifest["adaptation"] as JsonObject ?? throw new InvalidDataException($"{source}: missing 'adaptation'");
        var conditioning = ReturnConditioning.FromJson(manifest["conditioning"] as JsonObject ?? throw new InvalidDataException($"{source}: missing 'conditioning'"), source);
        var settings = (adaptation["model_settings"] as JsonObject)?.ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>()) ?? [];
        var adapted = AdaptedBackbone.Load(request.Registry, run, manifest, run.Path);
        try
        {
            var model = new ReturnConditionedModel<TState>(binding.CreateModel(adapted.Backbone.HiddenSize, settings), conditioning.MaxTimestep);
            ModuleStateFile.Load(model, run.Combine(RunDirectory.ModelFile));
            model.eval();
            var a = request.Arguments;
            var options = new DecisionPolicyOptions
            {
                Argmax = a.Flag("argmax"),
                OriginalContext = a.Flag("original-context"),
                Recompute = a.Flag("recompute"),
                OmitActionTimestep = a.Flag("original-action-timestep"),
                TargetReturnScale = a.Real("target-return-scale", adaptation["target_return_scale"]?.GetValue<double>() ?? 1.0),
                Seed = request.Seed,
            };
            var window = adaptation["w"]?.GetValue<int>() ?? 20;
            return new ReturnConditionedPolicy<TState, TAction>(run.Path, binding, model, adapted.Backbone, conditioning, window, options, new Owned(model, adapted));
        }
        catch
        {
            adapted.Dispose();
            throw;
        }
    }

    private static double Evaluate<TState, TAction>(IDecisionTaskBinding<TState, TAction> binding, TaskRequest request, ReturnConditionedModel<TState> model, AdaptedBackbone adapted, ReturnConditioning conditioning, AdaptationOptions options)
    {
        model.eval();
        adapted.Backbone.Module.eval();
        try
        {
            using var env = binding.CreateEnvironment(request);
            using var policy = new ReturnConditionedPolicy<TState, TAction>("eval", binding, model, adapted.Backbone, conditioning, options.Window, new DecisionPolicyOptions { Seed = request.Seed, TargetReturnScale = options.TargetReturnScale });
            double total = 0;
            var observation = env.Reset(request.Seed).Observation;
            for (var e = 0; e < options.EvalEpisodes; e++)
            {
                if (e > 0)
                {
                    observation = env.Reset().Observation;
                }

                policy.BeginEpisode();
                while (true)
                {
                    var step = env.Step(policy.Act(observation));
                    total += step.Reward;
                    policy.Observe(step.Reward, step.Done);
                    observation = step.Observation;
                    if (step.Done)
                    {
                        break;
                    }
                }
            }

            return total / options.EvalEpisodes;
        }
        finally
        {
            model.train();
            adapted.Backbone.Module.train();
        }
    }

    private static void CopyTrained(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative is TrainingLoop.StateFile or TrainingLoop.OptimizerFile)
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    private static void PromoteFinal(RunDirectory run)
    {
        var staging = run.Combine(RunDirectory.AdapterFolder + ".staging");
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

    /// <summary>Versions recorded with every run.</summary>
    public static JsonObject Versions() => new()
    {
        ["netllm_core"] = typeof(DecisionTaskVerbs).Assembly.GetName().Version?.ToString(),
        ["torchsharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(),
        ["dotnet"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
    };

    private sealed class Owned(IDisposable model, IDisposable backbone) : IDisposable
    {
        public void Dispose()
        {
            model.Dispose();
            backbone.Dispose();
        }
    }
}
