using System.Text.Json.Nodes;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Core.IO;
using NetLlm.Tasks.ViewportPrediction.Model;
using NetLlm.Tasks.ViewportPrediction.Policies;
using TorchSharp;

namespace NetLlm.Tasks.ViewportPrediction.Adaptation;

/// <summary>
/// An adapted VP run directory as a viewport policy: the backbone with its adapter and the trained
/// <see cref="VpModel"/>, predicting autoregressively with the key/value cache. Owns (disposes) both.
/// </summary>
public sealed class ViewportAdaptedPredictor : IPolicy<VpHistory, VpPrediction>, IVpBatchPredictor, IVpPolicyDescription
{
    private readonly AdaptedBackbone _backbone;
    private readonly VpModel _model;
    private readonly JsonObject _manifest;

    private ViewportAdaptedPredictor(string id, AdaptedBackbone backbone, VpModel model, JsonObject manifest)
    {
        Id = id;
        _backbone = backbone;
        _model = model;
        _manifest = manifest;
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <summary>
    /// Loads a completed run written by <see cref="ViewportAdaptation.Adapt"/>. Throws <see cref="ArgumentException"/>
    /// for a run of another task or kind, or one that did not complete; <see cref="InvalidDataException"/> naming the
    /// file for missing or mismatched weights.
    /// </summary>
    /// <param name="runDirectory">The run folder.</param>
    /// <param name="request">The request (registry for the backbone plugin).</param>
    public static ViewportAdaptedPredictor Load(string runDirectory, TaskRequest request)
    {
        var run = new RunDirectory(runDirectory);
        if (!run.Exists)
        {
            throw new ArgumentException($"{run.Path}: not a run directory (no {RunDirectory.ManifestFile})");
        }

        var manifest = run.ReadManifest();
        var task = manifest["task"]?.GetValue<string>();
        var kind = manifest["kind"]?.GetValue<string>();
        if (task != ViewportPredictionTask.TaskId || kind != ViewportRunManifest.Kind)
        {
            throw new ArgumentException($"{run.Path}: the run is a '{kind}' run of task '{task}', not a '{ViewportRunManifest.Kind}' run of '{ViewportPredictionTask.TaskId}'");
        }

        if (manifest["status"]?.GetValue<string>() != "completed")
        {
            throw new ArgumentException($"{run.Path}: the run is '{manifest["status"]}', not completed (resume it with `netllm adapt --resume`)");
        }

        var settings = (manifest[ViewportRunManifest.ModelSettings] as JsonObject)?.ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>())
            ?? throw new InvalidDataException($"{run.Combine(RunDirectory.ManifestFile)}: missing '{ViewportRunManifest.ModelSettings}'");
        var adapted = AdaptedBackbone.Load(request.Registry, run, manifest, run.Path);
        try
        {
            var model = new VpModel(adapted.Backbone.HiddenSize, VpModelOptions.FromSettings(settings));
            model.Module.to(adapted.Backbone.Device);
            ModuleStateFile.Load(model.Module, run.Combine(RunDirectory.ModelFile));
            model.Module.eval();
            adapted.Backbone.Module.eval();
            return new ViewportAdaptedPredictor(run.Path, adapted, model, manifest);
        }
        catch
        {
            adapted.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void BeginEpisode()
    {
    }

    /// <inheritdoc />
    public VpPrediction Act(VpHistory observation) => PredictBatch([observation])[0];

    /// <inheritdoc />
    public IReadOnlyList<VpPrediction> PredictBatch(IReadOnlyList<VpHistory> histories)
    {
        ArgumentNullException.ThrowIfNull(histories);
        if (histories.Count == 0)
        {
            return [];
        }

        var future = histories[0].FutureLength;
        if (histories.Any(h => h.FutureLength != future))
        {
            throw new ArgumentException($"{Id}: a batch must predict the same number of rows for every history");
        }

        using var predicted = _model.PredictHistories(_backbone.Backbone, histories.Select(h => h.Angles).ToList(), histories.Select(h => h.ImageFeature).ToList(), future);
        using var cpu = predicted.cpu().contiguous();
        var values = cpu.data<float>().ToArray();
        var perSample = future * 3;
        return Enumerable.Range(0, histories.Count).Select(i => new VpPrediction(values.AsSpan(i * perSample, perSample).ToArray())).ToList();
    }

    /// <inheritdoc />
    public JsonObject Describe() => new()
    {
        ["run_dir"] = Id,
        ["backbone"] = _manifest["backbone"]?.DeepClone(),
        ["adaptation"] = _manifest["adaptation"]?.DeepClone(),
        ["data"] = _manifest[ViewportRunManifest.Data]?.DeepClone(),
        ["result"] = _manifest["result"]?.DeepClone(),
    };

    /// <inheritdoc />
    public void Dispose()
    {
        _model.Dispose();
        _backbone.Dispose();
    }
}
