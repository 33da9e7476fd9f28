using System.Text.Json.Nodes;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Model;
using NetLlm.Tasks.ViewportPrediction.Policies;

namespace NetLlm.Tasks.ViewportPrediction.Adaptation;

/// <summary>
/// An adapted VP run directory (loaded by Core's <see cref="SupervisedTaskVerbs.Load{TSample}"/>) as a viewport
/// policy: the backbone with its adapter and the trained <see cref="VpModel"/>, predicting autoregressively with the
/// key/value cache. Owns (disposes) the loaded run.
/// </summary>
public sealed class ViewportAdaptedPredictor : IPolicy<VpHistory, VpPrediction>, IVpBatchPredictor, IVpPolicyDescription
{
    private readonly SupervisedTaskVerbs.LoadedRun<ViewportSample> _run;
    private readonly VpModel _model;

    private ViewportAdaptedPredictor(string id, SupervisedTaskVerbs.LoadedRun<ViewportSample> run)
    {
        Id = id;
        _run = run;
        _model = (VpModel)run.Model;
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <summary>
    /// Loads a completed VP run. Throws <see cref="ArgumentException"/> for a folder without <c>run.json</c>, a run of
    /// another task or kind, or one that did not complete; <see cref="InvalidDataException"/> naming the file for
    /// missing or mismatched weights.
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
        if (task != ViewportPredictionTask.TaskId || kind != "prediction")
        {
            throw new ArgumentException($"{run.Path}: the run is a '{kind}' run of task '{task}', not a 'prediction' run of '{ViewportPredictionTask.TaskId}'");
        }

        return new ViewportAdaptedPredictor(run.Path, SupervisedTaskVerbs.Load(run.Path, ViewportPredictionTask.TaskId, ViewportAdaptation.ModelFactory, request));
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

        using var predicted = _model.PredictHistories(_run.Backbone, histories.Select(h => h.Angles).ToList(), histories.Select(h => h.ImageFeature).ToList(), future);
        using var cpu = predicted.cpu().contiguous();
        var values = cpu.data<float>().ToArray();
        var perSample = future * 3;
        return Enumerable.Range(0, histories.Count).Select(i => new VpPrediction(values.AsSpan(i * perSample, perSample).ToArray())).ToList();
    }

    /// <inheritdoc />
    public JsonObject Describe() => new()
    {
        ["run_dir"] = Id,
        ["backbone"] = _run.Manifest["backbone"]?.DeepClone(),
        ["adaptation"] = _run.Manifest["adaptation"]?.DeepClone(),
        ["data"] = _run.Manifest["data"]?.DeepClone(),
        ["result"] = _run.Manifest["result"]?.DeepClone(),
    };

    /// <inheritdoc />
    public void Dispose() => _run.Dispose();
}
