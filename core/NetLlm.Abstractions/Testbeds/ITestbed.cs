using NetLlm.Abstractions.Plugins;

namespace NetLlm.Abstractions.Testbeds;

/// <summary>
/// A real-world testbed for one task: it runs the task's policies outside the simulator (a real player, a real
/// network) and writes its own report. The host discovers testbeds like other components (a public class with a
/// public parameterless constructor) and dispatches its <c>realtest</c> verb to the testbed whose
/// <see cref="TaskId"/> is the one asked for; everything else (options, data, report) is the testbed's.
/// </summary>
public interface ITestbed
{
    /// <summary>Unique id (<c>task.name</c>).</summary>
    string Id { get; }

    /// <summary>The task whose policies it runs.</summary>
    string TaskId { get; }

    /// <summary>One line for help and <c>plugins</c>.</summary>
    string Description { get; }

    /// <summary>The typed options record (properties with <see cref="Options.OptionAttribute"/>), created with its defaults.</summary>
    Type OptionsType { get; }

    /// <summary>Runs the testbed; returns the process exit code (0 success).</summary>
    /// <param name="context">What the host provides.</param>
    /// <param name="options">An instance of <see cref="OptionsType"/> with the values given.</param>
    Task<int> RunAsync(TestbedContext context, object options);
}

/// <summary>What the host hands a testbed.</summary>
/// <param name="Registry">Loaded plugins (policies, tasks).</param>
/// <param name="DataRoot">The data root, when one is configured.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Threads">Compute threads allowed (0 = the default).</param>
/// <param name="Output">Where progress and tables go.</param>
/// <param name="Cancellation">Stops the run.</param>
public sealed record TestbedContext(IPluginRegistry Registry, string? DataRoot, int Seed, int Threads, TextWriter Output, CancellationToken Cancellation);
