using System.Text.Json.Nodes;
using NetLlm.Core.Adaptation;
using NetLlm.Core.Options;

namespace NetLlm.Core.Engine;

/// <summary>Reading an adapted run's manifest back: the task and status checks, and the model options it recorded.</summary>
public static class AdaptedRunManifest
{
    /// <summary>The manifest of a finished run of task <paramref name="taskId"/>; throws naming the file otherwise.</summary>
    /// <param name="run">The run.</param>
    /// <param name="taskId">Expected task.</param>
    public static JsonObject Read(RunDirectory run, string taskId)
    {
        ArgumentNullException.ThrowIfNull(run);
        var manifest = run.ReadManifest();
        var source = run.Combine(RunDirectory.ManifestFile);
        if (manifest["format"] is not JsonValue f || !f.TryGetValue<string>(out var format) || format != RunDirectory.ManifestFormat)
        {
            throw new InvalidDataException($"{source}: format is {manifest["format"]?.ToJsonString() ?? "absent"}, not \"{RunDirectory.ManifestFormat}\"");
        }

        var task = manifest["task"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : null;
        if (task != taskId)
        {
            throw new ArgumentException($"{run.Path}: the run adapted task '{task}', not '{taskId}'");
        }

        if (manifest["status"] is not JsonValue v || !v.TryGetValue<string>(out var status) || status is not ("completed" or "stopped"))
        {
            throw new ArgumentException($"{run.Path}: the run is '{manifest["status"]}', not completed or stopped at its step limit (resume the adaptation)");
        }

        if (manifest["version"] is not JsonValue v0 || !v0.TryGetValue<int>(out var version) || version != RunDirectory.ManifestVersion)
        {
            throw new InvalidDataException($"{source}: version {manifest["version"]?.ToJsonString() ?? "absent"} is not supported (this build reads version {RunDirectory.ManifestVersion})");
        }

        return manifest;
    }

    /// <summary>The model options a run recorded (<c>model.options</c>); defaults for runs that recorded none.</summary>
    /// <typeparam name="TModelOptions">The task's model options record.</typeparam>
    /// <param name="manifest">The manifest.</param>
    /// <param name="source">The manifest file, for messages.</param>
    public static TModelOptions ModelOptions<TModelOptions>(JsonObject manifest, string source)
        where TModelOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return manifest["model"]?["options"] is JsonObject options
            ? (TModelOptions)OptionSchema.Of<TModelOptions>().FromJson(options, source + ": model.options")
            : new TModelOptions();
    }
}
