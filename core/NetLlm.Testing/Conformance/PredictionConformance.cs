using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Plugins;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Core.Engine;
using NetLlm.Core.Options;
using static TorchSharp.torch;

namespace NetLlm.Testing.Conformance;

/// <summary>The conformance checks of a prediction task and its predictors.</summary>
/// <typeparam name="TSample">Sample type.</typeparam>
/// <typeparam name="TInput">Predictor input type.</typeparam>
/// <typeparam name="TPrediction">Prediction type.</typeparam>
/// <typeparam name="TOptions">Options record.</typeparam>
/// <typeparam name="TModelOptions">Model options record.</typeparam>
public static class PredictionConformance<TSample, TInput, TPrediction, TOptions, TModelOptions>
    where TOptions : class, new()
    where TModelOptions : class, new()
{
    private const int Samples = 8;

    /// <summary>Checks the task, then each of its predictors.</summary>
    /// <param name="registry">Loaded plugins.</param>
    /// <param name="task">The task.</param>
    /// <param name="dataRoot">Data root, or null.</param>
    /// <param name="exercised">Receives the encoder ids its slots used.</param>
    /// <param name="policyOptions">Option values for some policies (by policy id), for example a shorter training.</param>
    public static IReadOnlyList<ConformanceResult> Check(IPluginRegistry registry, IPredictionTask<TSample, TInput, TPrediction, TOptions, TModelOptions> task, string? dataRoot, ISet<string> exercised, IReadOnlyDictionary<string, IReadOnlyList<OptionInput>> policyOptions)
    {
        ArgumentNullException.ThrowIfNull(task);
        var results = new List<ConformanceResult>();
        var context = new TaskContext { DataRoot = dataRoot, Seed = 1, Registry = registry };
        (TOptions Options, string Setting, IReadOnlyList<TSample> Samples)? loaded = null;
        try
        {
            var resolved = TaskOptionsResolver.Resolve(task, typeof(TOptions), VerbScope.Test, null, [], []);
            var data = task.Load((TOptions)resolved.Options, DataSplit.Configured, context);
            loaded = ((TOptions)resolved.Options, resolved.Setting, data.Samples.Take(Samples).ToList());
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException || (dataRoot is null && e is ArgumentException))
        {
            // reported below as skipped (without a data root, a task may refuse to load with an ArgumentException)
        }

        results.Add(PluginConformance.Guard("task", task.Info.Id, () =>
        {
            TaskInfoChecks.Check(task, typeof(TOptions), typeof(TModelOptions));
            var (options, setting, samples) = loaded ?? throw new DataMissingException($"the default setting of {task.Info.Id} needs its data (data root: {dataRoot ?? "none"})");
            if (samples.Count == 0)
            {
                throw new ConformanceException("Load", "the default setting has no samples");
            }

            var design = task.DesignModel(new TModelOptions());
            manual_seed(1);
            using var backbone = BackboneFactory.FromPreset(registry, null, "float32", 1);
            using var model = PredictionTaskModel<TSample, TInput, TPrediction>.Create(design, registry, backbone.HiddenSize, [], dataRoot, task.Info.Id);
            foreach (var e in model.Encoders)
            {
                exercised.Add(e.Id);
            }

            using (var loss = model.Model.TrainingLoss(backbone, samples, new Random(1)))
            {
                if (loss.numel() != 1 || !double.IsFinite(loss.item<float>()))
                {
                    throw new ConformanceException("Model", $"training loss [{string.Join(", ", loss.shape)}] must be a finite scalar");
                }

                loss.backward();
            }

            GradientChecks.ReachEncodersAndHeads(model.Module, model.Encoders.Where(e => !e.Slot.Frozen).Select(e => e.Slot.Name).Concat(design.Heads.Select(h => h.Name)));

            var predictions = model.Predict(backbone, samples.Select(task.InputOf).ToList());
            var score = task.Score(samples, predictions, new ScoringContext("conformance", setting, 1, null));
            if (predictions.Count != samples.Count || !double.IsFinite(score.Metric))
            {
                throw new ConformanceException("Model", $"{predictions.Count} predictions for {samples.Count} samples scored {score.Metric}");
            }

            return $"setting {setting}: {samples.Count} samples, model of {model.Encoders.Count} encoder(s) ({string.Join(", ", model.Encoders.Select(e => e.Id))}) and {design.Heads.Count} head(s), score {score.Metric:G5}";
        }));

        foreach (var provider in registry.Policies.Where(p => p.TaskId == task.Info.Id))
        {
            results.Add(PluginConformance.Guard("policy", provider.Id, () =>
            {
                var (options, setting, samples) = loaded ?? throw new DataMissingException($"the default setting of {task.Info.Id} needs its data");
                if (PolicyResolver.Available(registry, task.Info.Id, dataRoot).All(id => id != provider.Id))
                {
                    throw new DataMissingException($"needs {string.Join(", ", provider.RequiredData)} under the data root");
                }

                using var policy = PolicyResolver.Create<TInput, TPrediction>(provider.Id, registry, task, context, options, policyOptions.GetValueOrDefault(provider.Id) ?? [], _ => throw new InvalidOperationException("not a run"));
                var inputs = samples.Select(task.InputOf).ToList();
                var predictions = policy is IBatchPolicy<TInput, TPrediction> batch ? batch.ActBatch(inputs) : inputs.Select(policy.Act).ToList();
                var single = policy.Act(inputs[0]);
                var score = task.Score(samples, predictions, new ScoringContext(provider.Id, setting, 1, null));
                if (predictions.Count != inputs.Count || single is null || !double.IsFinite(score.Metric))
                {
                    throw new ConformanceException("Predictor", $"{predictions.Count} predictions for {inputs.Count} inputs scored {score.Metric}");
                }

                return $"{inputs.Count} predictions on setting {setting}, score {score.Metric:G5}";
            }));
        }

        return results;
    }
}
