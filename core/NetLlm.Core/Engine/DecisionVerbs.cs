using System.Diagnostics;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Environments;
using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Core.IO;
using NetLlm.Core.Options;
using static TorchSharp.torch;

namespace NetLlm.Core.Engine;

/// <summary>
/// The engine's verbs for decision tasks, written once for every task: test (every policy through the task's
/// episodes and scorer), collect (experience pools), adapt (return-conditioned offline RL through the shared
/// trainer) and loading an adapted run directory as a policy.
/// </summary>
/// <typeparam name="TObservation">Observation type.</typeparam>
/// <typeparam name="TAction">Action type.</typeparam>
/// <typeparam name="TOptions">The task's options record.</typeparam>
/// <typeparam name="TModelOptions">The task's model options record.</typeparam>
public static class DecisionVerbs<TObservation, TAction, TOptions, TModelOptions>
    where TOptions : class, new()
    where TModelOptions : class, new()
{
    /// <summary>Test: every policy on the resolved options, scored by the task.</summary>
    /// <param name="task">The task.</param>
    /// <param name="request">The request.</param>
    public static VerbResult Test(IDecisionTask<TObservation, TAction, TOptions, TModelOptions> task, VerbRequest request)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Policies.Count == 0)
        {
            throw new ArgumentException($"{task.Info.Id} test: no policy given (a baseline id or an adapted run directory)");
        }

        var clock = Stopwatch.StartNew();
        var (options, setting) = VerbSupport.Resolve<TOptions>(task, request, VerbScope.Test);
        var runs = new List<PolicyRun>();
        foreach (var id in request.Policies)
        {
            request.Context.Cancellation.ThrowIfCancellationRequested();
            runs.Add(TestOne(task, request, options, setting, id, ResultsFolder(request, id)));
        }

        var artifacts = request.Output is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["results"] = Path.GetFullPath(request.Output) };
        return new VerbResult
        {
            Verb = TaskVerb.Test,
            Task = task.Info,
            Setting = setting,
            Seed = request.Seed,
            Options = OptionSchema.Of<TOptions>().ToJson(options),
            Runs = runs,
            Artifacts = artifacts,
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>Runs one policy through one test run.</summary>
    /// <param name="task">The task.</param>
    /// <param name="request">The request (registry, context, policy options).</param>
    /// <param name="options">Resolved options.</param>
    /// <param name="setting">Setting name.</param>
    /// <param name="policyId">Policy id or run directory.</param>
    /// <param name="resultsFolder">Folder for per-item result files, or null.</param>
    public static PolicyRun TestOne(IDecisionTask<TObservation, TAction, TOptions, TModelOptions> task, VerbRequest request, TOptions options, string setting, string policyId, string? resultsFolder)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(request);
        var clock = Stopwatch.StartNew();
        using var policy = CreatePolicy(task, request, options, policyId);
        using var environment = task.CreateEnvironment(options, request.Context);
        var scorer = task.CreateScorer(options, new ScoringContext(policyId, setting, request.Seed, resultsFolder));
        var episodes = task.Episodes(options, environment);
        EpisodeStats stats;
        using (var bar = request.Context.Progress.Start($"{task.Info.Id} test {policyId}", episodes))
        {
            stats = EpisodeRunner.Run(environment, policy, episodes, request.Seed, scorer, null, task.Protocol.AskOnFinalObservation, bar, request.Context.Cancellation);
        }

        var details = new JsonObject { ["episodes"] = stats.Episodes, ["steps"] = stats.Steps, ["truncated_episodes"] = stats.Truncated };
        if (policy is IDescribedPolicy described)
        {
            details["policy_info"] = described.Describe();
        }

        return new PolicyRun { Policy = policyId, Setting = setting, Seed = request.Seed, Score = scorer.Complete(), Details = details, Seconds = clock.Elapsed.TotalSeconds };
    }

    /// <summary>Collect: runs each policy and writes the experience pool to <see cref="VerbRequest.Output"/>.</summary>
    /// <param name="task">The task.</param>
    /// <param name="request">The request.</param>
    public static VerbResult Collect(IDecisionTask<TObservation, TAction, TOptions, TModelOptions> task, VerbRequest request)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(request);
        var output = request.Output ?? throw new ArgumentException("no experience pool file given: collect writes one");
        if (request.Policies.Count == 0)
        {
            throw new ArgumentException("no policy given: collect runs the policies whose experience it stores");
        }

        var clock = Stopwatch.StartNew();
        var (options, setting) = VerbSupport.Resolve<TOptions>(task, request, VerbScope.Collect);
        var builder = new ExperiencePoolBuilder<TObservation>(task.Info.Id, task.States);
        var runs = new List<PolicyRun>();
        var perPolicy = new JsonArray();

        // A shard runs only its policies, each as the whole collection runs it (environment seed + k): see CollectionShard.
        var (first, end) = request.Shard?.Policies(request.Policies.Count) ?? (0, request.Policies.Count);
        for (var k = first; k < end; k++)
        {
            var id = request.Policies[k];
            var started = Stopwatch.StartNew();
            var envSeed = request.Seed + k;
            using var policy = CreatePolicy(task, request, options, id);
            using var environment = task.CreateEnvironment(options, request.Context with { Seed = envSeed });
            var episodes = task.Episodes(options, environment);
            var before = builder.Count;
            EpisodeStats stats;
            using (var bar = request.Context.Progress.Start($"{task.Info.Id} collect {id}", episodes))
            {
                stats = EpisodeRunner.Run(
                    environment,
                    policy,
                    episodes,
                    envSeed,
                    onStep: (observation, action, step) => builder.Add(observation, task.Actions.ToComponents(observation, action), step.Reward, step.Done),
                    progress: bar,
                    cancellation: request.Context.Cancellation);
            }

            var details = new JsonObject
            {
                ["policy"] = id,
                ["episodes"] = episodes,
                ["steps"] = builder.Count - before,
                ["mean_episode_return"] = stats.TotalReward / episodes,
                ["env_seed"] = envSeed,
            };
            perPolicy.Add(details.DeepClone());
            runs.Add(new PolicyRun { Policy = id, Setting = setting, Seed = envSeed, Details = details, Seconds = started.Elapsed.TotalSeconds });
        }

        var info = CollectionShards.Info(perPolicy, request.Seed, setting, OptionSchema.Of<TOptions>().ToJson(options), request.Shard);
        var pool = builder.Build(info);
        pool.Save(output);
        return new VerbResult
        {
            Verb = TaskVerb.Collect,
            Task = task.Info,
            Setting = setting,
            Seed = request.Seed,
            Options = OptionSchema.Of<TOptions>().ToJson(options),
            Runs = runs,
            Artifacts = new Dictionary<string, string> { ["pool"] = Path.GetFullPath(output) },
            Notes = CollectionShards.Notes(output, pool, end - first, request.Seed),
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>Adapt: trains the task model and a LoRA adapter from the experience pool (<c>--pool</c>).</summary>
    /// <param name="task">The task.</param>
    /// <param name="request">The request.</param>
    public static VerbResult Adapt(IDecisionTask<TObservation, TAction, TOptions, TModelOptions> task, VerbRequest request)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(request);
        var clock = Stopwatch.StartNew();
        var options = request.Adaptation;
        options.Validate();
        var poolOption = OptionNames.Of<AdaptationOptions>(nameof(AdaptationOptions.Pool));
        var pools = PoolList.Parse(options.Pool ?? throw new ArgumentException($"option {poolOption} is required: the experience pool collected for the task"), poolOption);
        var poolPath = pools.Name;
        var (taskOptions, setting) = VerbSupport.Resolve<TOptions>(task, request, VerbScope.Adapt);
        var modelOptions = (TModelOptions)OptionSchema.Of<TModelOptions>().Apply(new TModelOptions(), request.ModelOptions);
        var pool = pools.Load();
        if (pool.TaskId != task.Info.Id)
        {
            throw new InvalidDataException($"{poolPath}: the pool was collected for task '{pool.TaskId}', not '{task.Info.Id}'");
        }

        var design = task.DesignModel(modelOptions);
        if (pool.ActionComponents != design.Heads.Count)
        {
            throw new InvalidDataException($"{poolPath}: the pool's actions have {pool.ActionComponents} components, but task '{task.Info.Id}' has {design.Heads.Count} heads");
        }

        CheckActions(pool, design.Heads.Select(h => h.Outputs).ToArray(), poolPath);
        var states = pool.States(task.States);
        var (conditioning, returnsToGo) = ReturnConditioning.FromPool(pool, options.Gamma, options.ReturnScale, options.RewardNormalization);
        var windows = DecisionWindows.Cut(pool, options.Window, options.SampleStep, options.CrossEpisodeWindows);
        if (options.EvalEpisodes > 0)
        {
            // The evaluation environment is built once here, so that its options and data are checked before training
            // rather than at the end of the first epoch.
            using var probe = task.CreateEnvironment(taskOptions, request.Context);
        }

        var (poolFiles, poolSha256) = pools.Fingerprint();
        var outcome = AdaptationRun.Run(request.Context, request.Registry, task.Info, options, request.Output, adapted =>
        {
            var taskModel = DecisionTaskModel<TObservation>.Create(design, request.Registry, adapted.Backbone.HiddenSize, request.Encoders, request.Context.DataRoot, task.Info.Id);
            var model = new ReturnConditionedModel<TObservation>(taskModel, conditioning.MaxTimestep);
            Func<int, double>? evaluate = null;
            if (options.EvalEpisodes > 0)
            {
                evaluate = _ => Evaluate(task, request, taskOptions, model, adapted, conditioning, options);
            }

            return new AdaptationJob
            {
                Model = model,
                ItemCount = windows.Count,
                Loss = indices =>
                {
                    try
                    {
                        return model.Loss(adapted.Backbone, DecisionBatch<TObservation>.From(indices.Select(i => windows[i]).ToList(), states, pool, returnsToGo));
                    }
                    catch (MaskedLabelException e)
                    {
                        throw new InvalidDataException($"{poolPath}: step {e.Step}, action component {e.Component} is {e.Label}, a choice task '{task.Info.Id}' does not offer in that state with these model options", e);
                    }
                },
                Evaluate = evaluate,
                Items = "windows",
                BestKey = "best_eval",
                Manifest = new JsonObject
                {
                    ["conditioning"] = conditioning.ToJson(),
                    ["action_components"] = design.Heads.Count,
                    ["model"] = new JsonObject
                    {
                        ["options"] = OptionSchema.Of<TModelOptions>().ToJson(modelOptions),
                        ["encoders"] = taskModel.DescribeEncoders(),
                    },
                    ["setting"] = setting,
                    ["pool"] = new JsonObject
                    {
                        ["path"] = poolFiles,
                        ["sha256"] = poolSha256,
                        ["steps"] = pool.Count,
                        ["episodes"] = pool.EpisodeCount,
                        ["windows"] = windows.Count,
                        ["info"] = pool.Info.DeepClone(),
                    },
                },
                Owned = model,
            };
        });

        return VerbSupport.AdaptResult(task.Info, setting, request.Seed, outcome, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Loads an adapted run directory of this task as a policy; the caller owns it.</summary>
    /// <param name="task">The task.</param>
    /// <param name="runDirectory">The run.</param>
    /// <param name="request">The request (registry, seed, policy options for <see cref="InferenceOptions"/>).</param>
    public static IPolicy<TObservation, TAction> LoadRun(IDecisionTask<TObservation, TAction, TOptions, TModelOptions> task, string runDirectory, VerbRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return LoadRunSource(task, runDirectory, request).CreateOwningPolicy(request.Seed);
    }

    /// <summary>
    /// Loads an adapted run directory of this task once, as a source of policies that share its weights (each with
    /// its own decision context); the caller owns (disposes) the source.
    /// </summary>
    /// <param name="task">The task.</param>
    /// <param name="runDirectory">The run.</param>
    /// <param name="request">The request (registry, policy options for <see cref="InferenceOptions"/>).</param>
    public static AdaptedPolicySource<TObservation, TAction> LoadRunSource(IDecisionTask<TObservation, TAction, TOptions, TModelOptions> task, string runDirectory, VerbRequest request)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(request);
        var run = new RunDirectory(runDirectory);
        var manifest = AdaptedRunManifest.Read(run, task.Info.Id);
        var source = run.Combine(RunDirectory.ManifestFile);
        var conditioning = ReturnConditioning.FromJson(manifest["conditioning"] as JsonObject ?? throw new InvalidDataException($"{source}: missing 'conditioning'"), source);
        var modelOptions = AdaptedRunManifest.ModelOptions<TModelOptions>(manifest, source);
        var choices = ModelAssembly.ReadChoices(manifest["model"]?["encoders"] as JsonObject, request.Registry, source);
        var inference = (InferenceOptions)OptionSchema.Of<InferenceOptions>().Apply(new InferenceOptions(), request.PolicyOptions.Where(o => OptionSchema.Of<InferenceOptions>().Find(o.Name) is not null));
        var adapted = AdaptedBackbone.Load(request.Registry, run, manifest, run.Path);
        try
        {
            var design = task.DesignModel(modelOptions);
            RunConsistency.Check(source, manifest, adapted.Options, conditioning, design.Heads.Count, run.Combine(RunDirectory.ModelFile));
            var taskModel = DecisionTaskModel<TObservation>.Create(design, request.Registry, adapted.Backbone.HiddenSize, choices, request.Context.DataRoot, task.Info.Id);
            var model = new ReturnConditionedModel<TObservation>(taskModel, conditioning.MaxTimestep);
            ModuleStateFile.Load(model, run.Combine(RunDirectory.ModelFile));
            model.eval();
            var policyOptions = new DecisionPolicyOptions
            {
                Argmax = inference.Argmax,
                OriginalContext = inference.OriginalContext,
                Recompute = inference.Recompute,
                OmitActionTimestep = inference.OriginalActionTimestep,
                TargetReturnScale = inference.TargetReturnScale ?? adapted.Options.TargetReturnScale,
                Temperature = inference.Temperature,
                Seed = request.Seed,
            };
            return new AdaptedPolicySource<TObservation, TAction>(run.Path, task.Actions, model, adapted.Backbone, conditioning, adapted.Options.Window, policyOptions, new Owned(model, adapted));
        }
        catch
        {
            adapted.Dispose();
            throw;
        }
    }

    private static IPolicy<TObservation, TAction> CreatePolicy(IDecisionTask<TObservation, TAction, TOptions, TModelOptions> task, VerbRequest request, TOptions options, string policyId) =>
        PolicyResolver.Create<TObservation, TAction>(policyId, request.Registry, task, request.Context, options, request.PolicyOptions, dir => LoadRun(task, dir, request));

    private static string? ResultsFolder(VerbRequest request, string policy) =>
        request.Output is null ? null : request.Policies.Count == 1 ? Path.GetFullPath(request.Output) : Path.Combine(Path.GetFullPath(request.Output), SafeName(policy));

    private static string SafeName(string policy)
    {
        var invalid = Path.GetInvalidFileNameChars();
        return new string(Path.GetFileName(Path.TrimEndingDirectorySeparator(policy)).Select(c => invalid.Contains(c) ? '_' : c).ToArray());
    }

    private static void CheckActions(ExperiencePool pool, int[] choices, string path)
    {
        for (var i = 0; i < pool.Count; i++)
        {
            for (var j = 0; j < choices.Length; j++)
            {
                var a = pool.Actions[i, j];
                if (a < 0 || a >= choices[j])
                {
                    throw new InvalidDataException($"{path}: step {i}, action component {j} is {a}, outside the head's choices 0..{choices[j] - 1}");
                }
            }
        }
    }

    private static double Evaluate(IDecisionTask<TObservation, TAction, TOptions, TModelOptions> task, VerbRequest request, TOptions options, ReturnConditionedModel<TObservation> model, AdaptedBackbone adapted, ReturnConditioning conditioning, AdaptationOptions adaptation)
    {
        model.eval();
        adapted.Backbone.Module.eval();
        try
        {
            using var environment = task.CreateEnvironment(options, request.Context);
            using var policy = new ReturnConditionedPolicy<TObservation, TAction>("eval", task.Actions, model, adapted.Backbone, conditioning, adaptation.Window, new DecisionPolicyOptions { Seed = request.Seed, TargetReturnScale = adaptation.TargetReturnScale });
            var stats = EpisodeRunner.Run(environment, policy, adaptation.EvalEpisodes, adaptation.EvalSeed ?? request.Seed, cancellation: request.Context.Cancellation);
            return stats.TotalReward / adaptation.EvalEpisodes;
        }
        finally
        {
            model.train();
            adapted.Backbone.Module.train();
        }
    }

    private sealed class Owned(IDisposable model, IDisposable backbone) : IDisposable
    {
        public void Dispose()
        {
            model.Dispose();
            backbone.Dispose();
        }
    }
}
