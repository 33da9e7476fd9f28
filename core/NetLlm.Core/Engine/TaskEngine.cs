using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Tasks;

namespace NetLlm.Core.Engine;

/// <summary>
/// The engine's entry point for hosts: runs a verb of any task through the verbs written once for each task kind,
/// closing them over the task's type arguments (<see cref="TaskShape"/>).
/// </summary>
public static class TaskEngine
{
    /// <summary>Runs <see cref="VerbRequest.Verb"/> (collect, adapt or test) for the request's task.</summary>
    /// <param name="request">The request.</param>
    public static VerbResult Run(VerbRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var shape = TaskShape.Of(request.Task);
        var name = request.Verb switch
        {
            TaskVerb.Test => "Test",
            TaskVerb.Collect when shape.Kind == TaskKind.Decision => "Collect",
            TaskVerb.Adapt => "Adapt",
            TaskVerb.Collect => throw new ArgumentException($"task '{shape.Id}' is a prediction task: it learns from its dataset, there is no experience to collect"),
            _ => throw new ArgumentException($"verb {request.Verb} is not run through TaskEngine.Run"),
        };
        return (VerbResult)Invoke(shape, name, request.Task, request)!;
    }

    /// <summary>Runs one policy on one resolved setting (one case of an evaluation).</summary>
    /// <param name="request">The request (its <see cref="VerbRequest.Setting"/> and seed are the case's).</param>
    /// <param name="policy">Policy id or run directory.</param>
    public static PolicyRun TestOne(VerbRequest request, string policy)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = Run(request with { Policies = [policy], Context = request.Context with { Verb = TaskVerb.Test } });
        return result.Runs[0];
    }

    /// <summary>Runs the task's benchmark (<see cref="ITaskBenchmark{TOptions}"/>) with the loaded plugins in its context.</summary>
    /// <param name="request">The request (options as for test, the bench verb's default setting).</param>
    /// <param name="quick">Fewer repetitions.</param>
    public static JsonObject Bench(VerbRequest request, bool quick)
    {
        ArgumentNullException.ThrowIfNull(request);
        var shape = TaskShape.Of(request.Task);
        var benchmark = typeof(ITaskBenchmark<>).MakeGenericType(shape.OptionsType);
        if (!benchmark.IsInstanceOfType(request.Task))
        {
            throw new ArgumentException($"task '{shape.Id}' has no benchmark");
        }

        var resolved = TaskOptionsResolver.Resolve(request.Task, shape.OptionsType, VerbScope.Bench, request.Setting, request.ConfiguredOptions, request.TaskOptions);
        try
        {
            var context = request.Context with { Plugins = request.Registry };
            return (JsonObject)benchmark.GetMethod(nameof(ITaskBenchmark<object>.RunBenchmark))!.Invoke(request.Task, [resolved.Options, context, quick])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    /// <summary>True when the task has a benchmark.</summary>
    /// <param name="task">The task.</param>
    public static bool HasBenchmark(ITask task)
    {
        var shape = TaskShape.Of(task);
        return typeof(ITaskBenchmark<>).MakeGenericType(shape.OptionsType).IsInstanceOfType(task);
    }

    private static object? Invoke(TaskShape shape, string method, params object[] arguments)
    {
        var verbs = shape.Kind == TaskKind.Decision
            ? typeof(DecisionVerbs<,,,>).MakeGenericType([.. shape.Arguments])
            : typeof(PredictionVerbs<,,,,>).MakeGenericType([.. shape.Arguments]);
        var target = verbs.GetMethod(method, BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{verbs.Name} has no {method}");
        try
        {
            return target.Invoke(null, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
