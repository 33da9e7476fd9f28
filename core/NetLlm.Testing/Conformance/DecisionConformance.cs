using NetLlm.Abstractions.Environments;
using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Plugins;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Core.Engine;
using NetLlm.Core.Options;
using static TorchSharp.torch;

namespace NetLlm.Testing.Conformance;

/// <summary>The conformance checks of a decision task and its policies.</summary>
/// <typeparam name="TObservation">Observation type.</typeparam>
/// <typeparam name="TAction">Action type.</typeparam>
/// <typeparam name="TOptions">Options record.</typeparam>
/// <typeparam name="TModelOptions">Model options record.</typeparam>
public static class DecisionConformance<TObservation, TAction, TOptions, TModelOptions>
    where TOptions : class, new()
    where TModelOptions : class, new()
{
    /// <summary>Steps of an episode driven by sampled actions that are checked (enough for every check, short enough for a long episode).</summary>
    public const int MaxSteps = 2_000;

    /// <summary>Checks the task, then each of its policies.</summary>
    /// <param name="registry">Loaded plugins.</param>
    /// <param name="task">The task.</param>
    /// <param name="dataRoot">Data root, or null.</param>
    /// <param name="exercised">Receives the encoder ids its slots used.</param>
    /// <param name="policyOptions">Option values for some policies (by policy id), for example a shorter training.</param>
    public static IReadOnlyList<ConformanceResult> Check(IPluginRegistry registry, IDecisionTask<TObservation, TAction, TOptions, TModelOptions> task, string? dataRoot, ISet<string> exercised, IReadOnlyDictionary<string, IReadOnlyList<OptionInput>> policyOptions)
    {
        ArgumentNullException.ThrowIfNull(task);
        var results = new List<ConformanceResult>();
        var runnable = FindRunnable(task, dataRoot);
        results.Add(PluginConformance.Guard("task", task.Info.Id, () => CheckTask(registry, task, dataRoot, runnable, exercised)));
        foreach (var provider in registry.Policies.Where(p => p.TaskId == task.Info.Id))
        {
            results.Add(PluginConformance.Guard("policy", provider.Id, () =>
            {
                var (options, setting) = runnable ?? throw new DataMissingException($"no setting of {task.Info.Id} runs without its data (data root: {dataRoot ?? "none"})");
                if (PolicyResolver.Available(registry, task.Info.Id, dataRoot).All(id => id != provider.Id))
                {
                    throw new DataMissingException($"needs {string.Join(", ", provider.RequiredData)} under the data root");
                }

                var context = new TaskContext { DataRoot = dataRoot, Seed = 1, Registry = registry };
                using var policy = PolicyResolver.Create<TObservation, TAction>(provider.Id, registry, task, context, options, policyOptions.GetValueOrDefault(provider.Id) ?? [], _ => throw new InvalidOperationException("not a run"));
                using var environment = task.CreateEnvironment(options, context);
                var actions = PolicyChecks.ValidActions(policy, environment, episodes: 1, seed: 1, maxSteps: 20_000);
                return $"{actions} valid actions in one episode of setting {setting}";
            }));
        }

        return results;
    }

    private static (TOptions Options, string Setting)? FindRunnable(IDecisionTask<TObservation, TAction, TOptions, TModelOptions> task, string? dataRoot)
    {
        var context = new TaskContext { DataRoot = dataRoot, Seed = 1 };
        var candidates = new List<string?> { null };
        candidates.AddRange(task.Settings.Select(s => s.Name));
        foreach (var setting in candidates)
        {
            try
            {
                var resolved = TaskOptionsResolver.Resolve(task, typeof(TOptions), VerbScope.Test, setting, [], []);
                var options = (TOptions)resolved.Options;
                using var environment = task.CreateEnvironment(options, context);
                return (options, resolved.Setting);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or ArgumentException)
            {
                continue;
            }
        }

        return null;
    }

    private static string CheckTask(IPluginRegistry registry, IDecisionTask<TObservation, TAction, TOptions, TModelOptions> task, string? dataRoot, (TOptions Options, string Setting)? runnable, ISet<string> exercised)
    {
        TaskInfoChecks.Check(task, typeof(TOptions), typeof(TModelOptions));
        var (options, setting) = runnable ?? throw new DataMissingException($"no setting of {task.Info.Id} runs without its data (data root: {dataRoot ?? "none"})");
        var context = new TaskContext { DataRoot = dataRoot, Seed = 1 };
        bool Same(TObservation a, TObservation b) => Encode(task.States, a).SequenceEqual(Encode(task.States, b));
        var random = new Random(7);
        using (var a = task.CreateEnvironment(options, context))
        using (var b = task.CreateEnvironment(options, context))
        {
            EnvironmentChecks.SameEpisodes(a, b, Same, seed: 3, steps: 200);
        }
        using (var environment = task.CreateEnvironment(options, context))
        {
            EnvironmentChecks.SpacesHonoured(environment, seed: 1, maxSteps: MaxSteps);
        }

        // A short trajectory with actions sampled from the action space: observations, actions and rewards for the
        // scorer, the state codec and the model.
        var observations = new List<TObservation>();
        var actions = new List<int[]>();
        var scorer = task.CreateScorer(options, new ScoringContext("conformance", setting, 1, null));
        using (var environment = task.CreateEnvironment(options, context))
        {
            var observation = environment.Reset(1).Observation;
            scorer.BeginEpisode(observation, environment);
            for (var i = 0; i < MaxSteps; i++)
            {
                var action = environment.ActionSpace.Sample(random);
                if (observations.Count < 8)
                {
                    var components = task.Actions.ToComponents(observation, action);
                    var back = task.Actions.FromComponents(observation, components);
                    if (!environment.ActionSpace.Contains(back))
                    {
                        throw new ConformanceException("ActionCodec", $"step {i}: components [{string.Join(", ", components)}] decode to an action outside the action space");
                    }

                    observations.Add(observation);
                    actions.Add(components);
                }

                var step = environment.Step(action);
                scorer.Step(observation, action, step);
                observation = step.Observation;
                if (step.Done)
                {
                    break;
                }
            }

            scorer.EndEpisode(environment);
        }

        var score = scorer.Complete();
        if (!double.IsFinite(score.Metric))
        {
            throw new ConformanceException("Scorer", $"the scorer's metric is {score.Metric}");
        }

        // The state codec: a pool written and read back gives observations that encode to the same arrays.
        var builder = new ExperiencePoolBuilder<TObservation>(task.Info.Id, task.States);
        for (var i = 0; i < observations.Count; i++)
        {
            builder.Add(observations[i], actions[i], 0, i == observations.Count - 1);
        }

        var pool = builder.Build([]);
        var restored = pool.States(task.States);
        for (var i = 0; i < observations.Count; i++)
        {
            if (!Same(observations[i], restored[i]))
            {
                throw new ConformanceException("StateCodec", $"observation {i} does not survive a pool round trip");
            }
        }

        // The model: encoders from the registry, the tokenizer and the heads on these observations.
        var design = task.DesignModel(new TModelOptions());
        const int d = 16;
        manual_seed(1);
        using var model = DecisionTaskModel<TObservation>.Create(design, registry, d, [], dataRoot, task.Info.Id);
        foreach (var e in model.Encoders)
        {
            exercised.Add(e.Id);
        }

        using var scope = NewDisposeScope();
        Tensor total = zeros(1);
        for (var j = 0; j < design.Heads.Count; j++)
        {
            var prefixes = actions.Select(a => a[..j]).ToList();
            var segment = model.EncodeSegment(j, observations, prefixes);
            if (segment.Tokens.dim() != 3 || segment.Tokens.shape[0] != observations.Count || segment.Tokens.shape[2] != d
                || segment.Lengths.Length != observations.Count || segment.Lengths.Any(l => l < 1 || l > segment.Tokens.shape[1]))
            {
                throw new ConformanceException("Tokenizer", $"segment {j}: tokens [{string.Join(", ", segment.Tokens.shape)}] with lengths [{string.Join(", ", segment.Lengths)}] for {observations.Count} observations of width {d}");
            }

            total = total.add(segment.Tokens.sum());
            var features = randn(observations.Count, d);
            var logits = model.Logits(j, features, observations, prefixes);
            if (logits.shape[1] != design.Heads[j].Outputs)
            {
                throw new ConformanceException("Heads", $"head {j} returned {logits.shape[1]} choices, its slot declares {design.Heads[j].Outputs}");
            }

            for (var i = 0; i < observations.Count; i++)
            {
                if (logits[i, actions[i][j]].item<float>() <= NetLlm.Core.Heads.LinearHead.MaskedLogit / 2)
                {
                    throw new ConformanceException("Heads", $"observation {i}: the environment's own action component {actions[i][j]} of head {j} is masked as invalid");
                }
            }

            total = total.add(logits.clamp_min(-1e3).sum());
        }

        var embedded = model.EmbedAction(observations, actions);
        if (embedded.dim() != 2 || embedded.shape[0] != observations.Count || embedded.shape[1] != d)
        {
            throw new ConformanceException("Tokenizer", $"action embeddings [{string.Join(", ", embedded.shape)}], expected [{observations.Count}, {d}]");
        }

        total.add(embedded.sum()).backward();
        GradientChecks.ReachEncodersAndHeads(model.Module, model.Encoders.Select(e => e.Slot.Name).Concat(design.Heads.Select(h => h.Name)));

        return $"setting {setting}: environment determinism and spaces, scorer ({score.Metric:G5}), state codec, action codec, model of {model.Encoders.Count} encoder(s) ({string.Join(", ", model.Encoders.Select(e => e.Id))}) and {design.Heads.Count} head(s)";
    }

    private static float[] Encode(IStateCodec<TObservation> codec, TObservation observation)
    {
        var writer = new Collect();
        codec.Write(observation, writer);
        return [.. writer.Values];
    }

    private sealed class Collect : IStateWriter
    {
        public List<float> Values { get; } = [];

        public void Floats(string name, ReadOnlySpan<float> values)
        {
            Values.Add(name.Length);
            Values.AddRange(values.ToArray());
        }

        public void Ints(string name, ReadOnlySpan<long> values)
        {
            Values.Add(-name.Length);
            foreach (var v in values)
            {
                Values.Add(v);
            }
        }
    }
}
