using System.Diagnostics;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Core.IO;
using NetLlm.Core.Options;
using static TorchSharp.torch;

namespace NetLlm.Core.Engine;

/// <summary>
/// The engine's verbs for prediction tasks, written once for every task: test (every predictor on the configured
/// split, batched when the predictor can, scored by the task), adapt (supervised training through the shared trainer,
/// the best epoch by validation loss) and loading an adapted run as a predictor.
/// </summary>
/// <typeparam name="TSample">Sample type.</typeparam>
/// <typeparam name="TInput">Predictor input type.</typeparam>
/// <typeparam name="TPrediction">Prediction type.</typeparam>
/// <typeparam name="TOptions">The task's options record.</typeparam>
/// <typeparam name="TModelOptions">The task's model options record.</typeparam>
public static class PredictionVerbs<TSample, TInput, TPrediction, TOptions, TModelOptions>
    where TOptions : class, new()
    where TModelOptions : class, new()
{
    /// <summary>Test: every predictor on the split the options name.</summary>
    /// <param name="task">The task.</param>
    /// <param name="request">The request.</param>
    public static VerbResult Test(IPredictionTask<TSample, TInput, TPrediction, TOptions, TModelOptions> task, VerbRequest request)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Policies.Count == 0)
        {
            throw new ArgumentException($"{task.Info.Id} test: no policy given (a baseline id or an adapted run directory)");
        }

        var clock = Stopwatch.StartNew();
        var (options, setting) = VerbSupport.Resolve<TOptions>(task, request, VerbScope.Test);
        var data = Load(task, request, options);
        var runs = request.Policies.Select(id => TestOne(task, request, options, setting, id, data)).ToList();
        return new VerbResult
        {
            Verb = TaskVerb.Test,
            Task = task.Info,
            Setting = setting,
            Seed = request.Seed,
            Options = OptionSchema.Of<TOptions>().ToJson(options),
            Runs = runs,
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>The samples a test evaluates (the configured split, limited by <see cref="PredictionTestOptions.Limit"/>).</summary>
    /// <param name="task">The task.</param>
    /// <param name="request">The request.</param>
    /// <param name="options">Resolved options.</param>
    public static PredictionData<TSample> Load(IPredictionTask<TSample, TInput, TPrediction, TOptions, TModelOptions> task, VerbRequest request, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(request);
        var testOptions = TestOptions(request);
        var data = task.Load(options, DataSplit.Configured, request.Context);
        if (testOptions.Limit > 0 && data.Samples.Count > testOptions.Limit)
        {
            data = data with { Samples = data.Samples.Take(testOptions.Limit).ToList() };
        }

        if (data.Samples.Count == 0)
        {
            throw new InvalidDataException($"{task.Info.Id} test: the configured split has no samples");
        }

        return data;
    }

    /// <summary>Runs one predictor over the samples.</summary>
    /// <param name="task">The task.</param>
    /// <param name="request">The request.</param>
    /// <param name="options">Resolved options.</param>
    /// <param name="setting">Setting name.</param>
    /// <param name="policyId">Policy id or run directory.</param>
    /// <param name="data">The samples.</param>
    public static PolicyRun TestOne(IPredictionTask<TSample, TInput, TPrediction, TOptions, TModelOptions> task, VerbRequest request, TOptions options, string setting, string policyId, PredictionData<TSample> data)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(data);
        var clock = Stopwatch.StartNew();
        using var policy = PolicyResolver.Create<TInput, TPrediction>(policyId, request.Registry, task, request.Context, options, request.PolicyOptions, dir => LoadRun(task, dir, request));
        var inputs = data.Samples.Select(task.InputOf).ToList();
        var batch = TestOptions(request).BatchSize;
        var predictions = new List<TPrediction>(inputs.Count);
        var predictClock = Stopwatch.StartNew();
        using (var bar = request.Context.Progress.Start($"{task.Info.Id} test {policyId}", inputs.Count))
        {
            if (policy is IBatchPolicy<TInput, TPrediction> batched)
            {
                for (var start = 0; start < inputs.Count; start += batch)
                {
                    request.Context.Cancellation.ThrowIfCancellationRequested();
                    var slice = inputs.GetRange(start, Math.Min(batch, inputs.Count - start));
                    var answers = batched.ActBatch(slice);
                    if (answers.Count != slice.Count)
                    {
                        throw new InvalidOperationException($"predictor {policyId} returned {answers.Count} predictions for {slice.Count} inputs");
                    }

                    predictions.AddRange(answers);
                    bar.Advance(slice.Count);
                }
            }
            else
            {
                for (var i = 0; i < inputs.Count; i++)
                {
                    if ((i & 255) == 0)
                    {
                        request.Context.Cancellation.ThrowIfCancellationRequested();
                    }

                    predictions.Add(policy.Act(inputs[i]));
                    bar.Advance(1);
                }
            }
        }

        var seconds = predictClock.Elapsed.TotalSeconds;
        var score = task.Score(data.Samples, predictions, new ScoringContext(policyId, setting, request.Seed, null));
        var details = new JsonObject
        {
            ["samples"] = inputs.Count,
            ["predict_s"] = seconds,
            ["samples_per_s"] = inputs.Count / Math.Max(seconds, 1e-9),
            ["data"] = data.Provenance.DeepClone(),
        };
        if (policy is IDescribedPolicy described)
        {
            details["policy_info"] = described.Describe();
        }

        return new PolicyRun { Policy = policyId, Setting = setting, Seed = request.Seed, Score = score, Details = details, Seconds = clock.Elapsed.TotalSeconds };
    }

    /// <summary>Adapt: trains on the train split, validates on the valid split after every epoch, keeps the best epoch.</summary>
    /// <param name="task">The task.</param>
    /// <param name="request">The request.</param>
    public static VerbResult Adapt(IPredictionTask<TSample, TInput, TPrediction, TOptions, TModelOptions> task, VerbRequest request)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(request);
        var clock = Stopwatch.StartNew();
        var options = request.Adaptation;
        options.Validate();
        var (taskOptions, setting) = VerbSupport.Resolve<TOptions>(task, request, VerbScope.Adapt);
        var modelOptions = (TModelOptions)OptionSchema.Of<TModelOptions>().Apply(new TModelOptions(), request.ModelOptions);
        var train = task.Load(taskOptions, DataSplit.Train, request.Context);
        var valid = task.Load(taskOptions, DataSplit.Valid, request.Context);
        if (train.Samples.Count == 0)
        {
            throw new InvalidDataException($"{task.Info.Id} adapt: the training split has no samples");
        }

        var design = task.DesignModel(modelOptions);
        var outcome = AdaptationRun.Run(request.Context, request.Registry, task.Info, options, request.Output, adapted =>
        {
            var model = PredictionTaskModel<TSample, TInput, TPrediction>.Create(design, request.Registry, adapted.Backbone.HiddenSize, request.Encoders, request.Context.DataRoot, task.Info.Id);
            var random = new Random(request.Seed);
            double Validate(int epoch)
            {
                _ = epoch;
                model.Module.eval();
                adapted.Backbone.Module.eval();
                try
                {
                    return -MeanValidationLoss(model, adapted, valid.Samples, options.BatchSize);
                }
                finally
                {
                    model.Module.train();
                    adapted.Backbone.Module.train();
                }
            }

            return new AdaptationJob
            {
                Model = model.Module,
                ItemCount = train.Samples.Count,
                Loss = indices => model.Model.TrainingLoss(adapted.Backbone, indices.Select(i => train.Samples[i]).ToList(), random),
                Evaluate = valid.Samples.Count > 0 ? Validate : null,
                Items = "samples",
                BestKey = "best_valid_loss",
                Reported = v => -v,
                Manifest = new JsonObject
                {
                    ["model"] = new JsonObject
                    {
                        ["options"] = OptionSchema.Of<TModelOptions>().ToJson(modelOptions),
                        ["encoders"] = model.DescribeEncoders(),
                    },
                    ["setting"] = setting,
                    ["data"] = new JsonObject { ["train"] = train.Provenance.DeepClone(), ["valid"] = valid.Provenance.DeepClone() },
                },
                Owned = model,
            };
        });

        return VerbSupport.AdaptResult(task.Info, setting, request.Seed, outcome, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Loads an adapted run of this task as a predictor; the caller owns it.</summary>
    /// <param name="task">The task.</param>
    /// <param name="runDirectory">The run.</param>
    /// <param name="request">The request (registry).</param>
    public static IPolicy<TInput, TPrediction> LoadRun(IPredictionTask<TSample, TInput, TPrediction, TOptions, TModelOptions> task, string runDirectory, VerbRequest request)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(request);
        var run = new RunDirectory(runDirectory);
        var manifest = AdaptedRunManifest.Read(run, task.Info.Id);
        var source = run.Combine(RunDirectory.ManifestFile);
        var modelOptions = AdaptedRunManifest.ModelOptions<TModelOptions>(manifest, source);
        var choices = ModelAssembly.ReadChoices(manifest["model"]?["encoders"] as JsonObject, request.Registry, source);
        var adapted = AdaptedBackbone.Load(request.Registry, run, manifest, run.Path);
        try
        {
            var model = PredictionTaskModel<TSample, TInput, TPrediction>.Create(task.DesignModel(modelOptions), request.Registry, adapted.Backbone.HiddenSize, choices, request.Context.DataRoot, task.Info.Id);
            ModuleStateFile.Load(model.Module, run.Combine(RunDirectory.ModelFile));
            model.Module.eval();
            return new AdaptedPredictor(run.Path, model, adapted, manifest);
        }
        catch
        {
            adapted.Dispose();
            throw;
        }
    }

    private static PredictionTestOptions TestOptions(VerbRequest request)
    {
        var schema = OptionSchema.Of<PredictionTestOptions>();
        return (PredictionTestOptions)schema.Apply(new PredictionTestOptions(), request.PolicyOptions.Where(o => schema.Find(o.Name) is not null));
    }

    private static double MeanValidationLoss(PredictionTaskModel<TSample, TInput, TPrediction> model, AdaptedBackbone adapted, IReadOnlyList<TSample> valid, int batchSize)
    {
        using var noGrad = no_grad();
        double total = 0;
        var count = 0;
        for (var start = 0; start < valid.Count; start += batchSize)
        {
            var batch = valid.Skip(start).Take(batchSize).ToList();
            total += model.Model.ValidationLoss(adapted.Backbone, batch) * batch.Count;
            count += batch.Count;
        }

        return total / Math.Max(count, 1);
    }

    /// <summary>An adapted prediction run as a predictor: batches through the model, reports how it was trained.</summary>
    private sealed class AdaptedPredictor(string id, PredictionTaskModel<TSample, TInput, TPrediction> model, AdaptedBackbone adapted, JsonObject manifest)
        : IPolicy<TInput, TPrediction>, IBatchPolicy<TInput, TPrediction>, IDescribedPolicy
    {
        public string Id { get; } = id;

        public void BeginEpisode()
        {
        }

        public TPrediction Act(TInput observation) => ActBatch([observation])[0];

        public IReadOnlyList<TPrediction> ActBatch(IReadOnlyList<TInput> observations) => model.Predict(adapted.Backbone, observations);

        public JsonObject Describe() => new()
        {
            ["run_dir"] = Id,
            ["seed"] = manifest["seed"]?.DeepClone(),
            ["backbone"] = manifest["backbone"]?.DeepClone(),
            ["result"] = manifest["result"]?.DeepClone(),
        };

        public void Dispose()
        {
            model.Dispose();
            adapted.Dispose();
        }
    }
}
