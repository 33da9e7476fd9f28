using System.Globalization;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Tasks;

namespace NetLlm.Core.Engine;

/// <summary>What the verbs of both task kinds share: option resolution and the adapt verb's result.</summary>
public static class VerbSupport
{
    /// <summary>The resolved task options and setting name for a verb.</summary>
    /// <typeparam name="TOptions">The task's options record.</typeparam>
    /// <param name="task">The task.</param>
    /// <param name="request">The request.</param>
    /// <param name="verb">The verb's scope.</param>
    public static (TOptions Options, string Setting) Resolve<TOptions>(ITask task, VerbRequest request, VerbScope verb)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(request);
        var resolved = TaskOptionsResolver.Resolve(task, typeof(TOptions), verb, request.Setting, request.ConfiguredOptions, request.TaskOptions);
        return ((TOptions)resolved.Options, resolved.Setting);
    }

    /// <summary>The result of an adapt verb.</summary>
    /// <param name="task">The task.</param>
    /// <param name="setting">Setting name.</param>
    /// <param name="seed">Seed.</param>
    /// <param name="outcome">What the trainer ended with.</param>
    /// <param name="seconds">Wall time.</param>
    public static VerbResult AdaptResult(TaskInfo task, string setting, int seed, AdaptationOutcome outcome, double seconds)
    {
        var manifest = outcome.Manifest;
        var details = new JsonObject
        {
            ["run_dir"] = outcome.Run.Path,
            ["status"] = manifest["status"]?.DeepClone(),
            ["result"] = manifest["result"]?.DeepClone(),
            ["parameters"] = manifest["parameters"]?.DeepClone(),
            ["backbone"] = manifest["backbone"]?.DeepClone(),
        };
        var summary = outcome.Summary;
        var notes = new List<string>
        {
            $"Run directory: {outcome.Run.Path} ({manifest["status"]})",
            string.Create(CultureInfo.InvariantCulture, $"{summary.Steps} optimiser steps, last loss {summary.LastLoss:0.0000}, {summary.ItemsPerSecond:0.0} items/s, seed {seed}"),
        };
        return new VerbResult
        {
            Verb = TaskVerb.Adapt,
            Task = task,
            Setting = setting,
            Seed = seed,
            Runs = [new PolicyRun { Policy = outcome.Run.Path, Setting = setting, Seed = seed, Details = details, Seconds = seconds }],
            Artifacts = new Dictionary<string, string> { ["run_dir"] = outcome.Run.Path },
            Notes = notes,
            Seconds = seconds,
        };
    }

}
