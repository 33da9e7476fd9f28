using System.Reflection;
using System.Runtime.ExceptionServices;
using NetLlm.Abstractions.Serving;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Engine;

namespace NetLlm.Core.Serving;

/// <summary>
/// Builds a <see cref="IPolicyServer"/> for the request's task and single policy, closing the generic server over the
/// task's type arguments as <see cref="TaskEngine"/> does for the verbs. The task's options are resolved with the test
/// verb's rules (its default setting, configuration, command line).
/// </summary>
public static class ServingEngine
{
    /// <summary>True when <paramref name="task"/> is a decision task with a request protocol.</summary>
    /// <param name="task">The task.</param>
    public static bool CanServe(ITask task)
    {
        var shape = TaskShape.Of(task);
        return shape.Kind == TaskKind.Decision
            && typeof(IServableTask<,,>).MakeGenericType(shape.Arguments[0], shape.Arguments[1], shape.Arguments[2]).IsInstanceOfType(task);
    }

    /// <summary>Creates the server (it loads an adapted run once; a baseline id is checked by creating it once).</summary>
    /// <param name="request">The request: task, one policy, options, seed (every session's sampling stream starts from it).</param>
    /// <param name="maxSessions">Sessions open at once at most.</param>
    /// <param name="idleTimeout">Close a session unused for this long; null: never.</param>
    /// <param name="time">Clock and timers (the system's by default).</param>
    public static IPolicyServer Create(VerbRequest request, int maxSessions, TimeSpan? idleTimeout = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var shape = TaskShape.Of(request.Task);
        if (shape.Kind != TaskKind.Decision)
        {
            throw new ArgumentException($"task '{shape.Id}' is a prediction task; only decision tasks are served");
        }

        var servable = typeof(IServableTask<,,>).MakeGenericType(shape.Arguments[0], shape.Arguments[1], shape.Arguments[2]);
        if (!servable.IsInstanceOfType(request.Task))
        {
            throw new ArgumentException($"task '{shape.Id}' cannot be served: its plugin does not implement {nameof(IServableTask<object, object, object>)} (no request protocol)");
        }

        if (request.Policies.Count != 1)
        {
            throw new ArgumentException($"a server runs exactly one policy (a baseline id or an adapted run directory), got {request.Policies.Count}");
        }

        var method = typeof(ServingEngine<,,,>).MakeGenericType([.. shape.Arguments]).GetMethod(nameof(ServingEngine<object, object, object, object>.Create), BindingFlags.Public | BindingFlags.Static)!;
        try
        {
            return (IPolicyServer)method.Invoke(null, [request.Task, request, maxSessions, idleTimeout, time])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}

/// <summary>The typed half of <see cref="ServingEngine"/>.</summary>
/// <typeparam name="TObservation">Observation type.</typeparam>
/// <typeparam name="TAction">Action type.</typeparam>
/// <typeparam name="TOptions">The task's options record.</typeparam>
/// <typeparam name="TModelOptions">The task's model options record.</typeparam>
public static class ServingEngine<TObservation, TAction, TOptions, TModelOptions>
    where TOptions : class, new()
    where TModelOptions : class, new()
{
    /// <summary>Creates the server.</summary>
    /// <param name="task">The task (also an <see cref="IServableTask{TObservation, TAction, TOptions}"/>).</param>
    /// <param name="request">The request.</param>
    /// <param name="maxSessions">Sessions open at once at most.</param>
    /// <param name="idleTimeout">Close a session unused for this long; null: never.</param>
    /// <param name="time">Clock and timers (the system's by default).</param>
    public static IPolicyServer Create(IDecisionTask<TObservation, TAction, TOptions, TModelOptions> task, VerbRequest request, int maxSessions, TimeSpan? idleTimeout = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(request);
        var servable = (IServableTask<TObservation, TAction, TOptions>)task;
        var (options, setting) = VerbSupport.Resolve<TOptions>(task, request, Abstractions.Options.VerbScope.Test);
        var policy = request.Policies[0];
        var protocol = servable.CreateServing(options, request.Context);
        try
        {
            return new PolicyServer<TObservation, TAction>(task.Info.Id, policy, setting, protocol, Policies(task, request, options, policy), maxSessions, idleTimeout, time);
        }
        catch
        {
            protocol.Dispose();
            throw;
        }
    }

    private static SessionPolicies<TObservation, TAction> Policies(IDecisionTask<TObservation, TAction, TOptions, TModelOptions> task, VerbRequest request, TOptions options, string policy)
    {
        if (Directory.Exists(policy))
        {
            var source = DecisionVerbs<TObservation, TAction, TOptions, TModelOptions>.LoadRunSource(task, policy, request);
            return new SessionPolicies<TObservation, TAction>(() => source.CreatePolicy(request.Seed), true, () => source.LivePolicies, source);
        }

        Abstractions.Policies.IPolicy<TObservation, TAction> Create() =>
            PolicyResolver.Create<TObservation, TAction>(policy, request.Registry, task, request.Context, options, request.PolicyOptions, dir => throw new InvalidOperationException($"{dir} is not a directory any more"));

        // Fail at start, not at the first session, when the id is unknown or its data is missing.
        Create().Dispose();
        return new SessionPolicies<TObservation, TAction>(Create, false, null, null);
    }
}
