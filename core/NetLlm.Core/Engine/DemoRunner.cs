using System.Diagnostics;
using System.Reflection;
using System.Runtime.ExceptionServices;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Core.Options;

namespace NetLlm.Core.Engine;

/// <summary>What <c>netllm demo</c> ran and measured.</summary>
/// <param name="Task">The task.</param>
/// <param name="Title">What the data was (embedded or real).</param>
/// <param name="RealData">True when the data root's data was used.</param>
/// <param name="Collect">The collection (decision tasks), or null.</param>
/// <param name="Adapt">The adaptation.</param>
/// <param name="Tests">One test per policy, the adapted run first (named <c>netllm</c>).</param>
/// <param name="Seconds">Wall time.</param>
public sealed record DemoResult(TaskInfo Task, string Title, bool RealData, VerbResult? Collect, VerbResult Adapt, IReadOnlyList<(string Policy, PolicyRun Run)> Tests, double Seconds)
{
    /// <summary>The adaptation options the demo ran with (the request's, with the plan's choices applied).</summary>
    public AdaptationOptions? Adaptation { get; init; }
}

/// <summary>
/// The whole NetLLM pipeline for any task that declares a demo (<see cref="IDemoTask{TOptions}"/>): collect with the
/// demo's available baselines (decision tasks), adapt, then test the adapted run and the baselines on the test data —
/// on data the task makes itself, or on the data root's settings when that data is there.
/// </summary>
public static class DemoRunner
{
    private static readonly string ArgmaxOption = OptionSchema.Of<InferenceOptions>().Fields.Single(f => f.Property.Name == nameof(InferenceOptions.Argmax)).Name;

    /// <summary>True when the task declares a demo.</summary>
    /// <param name="task">The task.</param>
    public static bool HasDemo(ITask task)
    {
        var shape = TaskShape.Of(task);
        return typeof(IDemoTask<>).MakeGenericType(shape.OptionsType).IsInstanceOfType(task);
    }

    /// <summary>
    /// The task whose demo runs when none is named: the one whose plan says <see cref="DemoPlan{TOptions}.IsDefault"/>
    /// (the first by id when several do), else the first task with a demo; null when no task has one.
    /// </summary>
    /// <param name="tasks">Loaded tasks.</param>
    public static ITask? DefaultTask(IEnumerable<ITask> tasks)
    {
        var withDemo = tasks.Where(HasDemo).OrderBy(t => t.Info.Id, StringComparer.Ordinal).ToList();
        return withDemo.FirstOrDefault(IsDefault) ?? withDemo.FirstOrDefault();
    }

    private static bool IsDefault(ITask task)
    {
        var shape = TaskShape.Of(task);
        var plan = typeof(IDemoTask<>).MakeGenericType(shape.OptionsType).GetProperty("Demo")!.GetValue(task)!;
        return (bool)plan.GetType().GetProperty("IsDefault")!.GetValue(plan)!;
    }

    /// <summary>Runs the demo; the adaptation options are the request's (the host sets the demo's defaults).</summary>
    /// <param name="request">Task, registry, context (seed, progress), adaptation options.</param>
    /// <param name="folder">Folder for the pool and the run directory.</param>
    /// <param name="realData">Use the data root's settings (the host checked the task's required data is there).</param>
    /// <param name="evalEpisodes">Episodes that pick the best checkpoint, or null for the plan's <c>EvalEpisodes</c>.</param>
    public static DemoResult Run(VerbRequest request, string folder, bool realData, int? evalEpisodes = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var shape = TaskShape.Of(request.Task);
        var method = typeof(DemoRunner).GetMethod(nameof(RunTyped), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(shape.OptionsType);
        try
        {
            return (DemoResult)method.Invoke(null, [request, folder, realData, evalEpisodes, shape])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    private static DemoResult RunTyped<TOptions>(VerbRequest request, string folder, bool realData, int? evalEpisodes, TaskShape shape)
        where TOptions : class, new()
    {
        var task = request.Task;
        var plan = (task as IDemoTask<TOptions> ?? throw new ArgumentException($"task '{shape.Id}' declares no demo")).Demo;
        realData &= plan.DataTrainSetting is not null && plan.DataTestSetting is not null;
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(folder);
        var available = PolicyResolver.Available(request.Registry, shape.Id, request.Context.DataRoot);
        var baselines = plan.Policies.Where(available.Contains).ToList();
        if (baselines.Count == 0)
        {
            throw new ArgumentException($"task '{shape.Id}': none of the demo's policies ({string.Join(", ", plan.Policies)}) is loaded and has its data");
        }

        var schema = OptionSchema.Of<TOptions>();
        IReadOnlyList<OptionInput> Embedded(Func<TOptions, int, TOptions> change)
        {
            var changed = change(new TOptions(), request.Seed);
            return schema.Fields.Select(f => new OptionInput(f.Name, f.Property.GetValue(changed), "demo")).ToList();
        }

        var train = realData ? request with { Setting = plan.DataTrainSetting } : request with { Setting = null, TaskOptions = Embedded(plan.Train) };
        var test = realData ? request with { Setting = plan.DataTestSetting } : request with { Setting = null, TaskOptions = Embedded(plan.Test) };
        VerbResult? collect = null;
        var run = Path.Combine(folder, "run");
        if (Directory.Exists(run))
        {
            Directory.Delete(run, recursive: true);
        }

        var adaptation = request.Adaptation;
        if (shape.Kind == TaskKind.Decision)
        {
            adaptation = adaptation with { EvalEpisodes = evalEpisodes ?? plan.EvalEpisodes };
            var pool = Path.Combine(folder, "pool.safetensors");
            var experts = plan.Experts?.Where(available.Contains).ToList() is { Count: > 0 } chosen ? chosen : baselines;
            collect = TaskEngine.Run(train with { Policies = experts, Output = pool, Context = train.Context with { Verb = TaskVerb.Collect } });
            adaptation = adaptation with { Pool = pool };
        }

        var adapt = TaskEngine.Run(train with { Adaptation = adaptation, Output = run, Policies = [], Context = train.Context with { Verb = TaskVerb.Adapt } });
        var tests = new List<(string, PolicyRun)>();
        foreach (var policy in new[] { run }.Concat(baselines))
        {
            // The adapted policy takes its most likely action; baselines run as they do everywhere else.
            var options = policy == run ? [.. test.PolicyOptions, new OptionInput(ArgmaxOption, true, "demo")] : test.PolicyOptions;
            var result = TaskEngine.Run(test with { Policies = [policy], PolicyOptions = options, Output = null, Context = test.Context with { Verb = TaskVerb.Test } });
            tests.Add((policy == run ? "netllm" : policy, result.Runs[0]));
        }

        return new DemoResult(task.Info, realData ? plan.DataTitle ?? plan.DataTestSetting! : plan.EmbeddedTitle, realData, collect, adapt, tests, clock.Elapsed.TotalSeconds) { Adaptation = adaptation };
    }
}
