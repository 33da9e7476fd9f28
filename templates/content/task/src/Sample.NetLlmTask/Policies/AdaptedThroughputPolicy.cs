using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using Sample.NetLlmTask.Data;
using Sample.NetLlmTask.Model;

namespace Sample.NetLlmTask.Policies;

/// <summary>
/// An adapted run directory (written by <c>netllm adapt</c>) as a predictor: the backbone with its trained adapter
/// and the trained <see cref="ThroughputModel"/>, loaded by Core's <see cref="SupervisedTaskVerbs.Load{TSample}"/>.
/// Owns (disposes) the loaded run.
/// </summary>
public sealed class AdaptedThroughputPolicy : IPolicy<float[], float[]>
{
    private readonly SupervisedTaskVerbs.LoadedRun<ThroughputWindow> _run;
    private readonly int _horizon;

    private AdaptedThroughputPolicy(string id, SupervisedTaskVerbs.LoadedRun<ThroughputWindow> run, int horizon)
    {
        Id = id;
        _run = run;
        _horizon = horizon;
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <summary>
    /// Loads a completed run of this task. Throws <see cref="ArgumentException"/> for a folder that is not a completed
    /// run of this task, <see cref="InvalidDataException"/> naming the file for missing or mismatched weights.
    /// </summary>
    /// <param name="runDirectory">The run folder.</param>
    /// <param name="request">The request (its registry provides the backbone plugin).</param>
    /// <param name="horizon">Values per prediction.</param>
    public static AdaptedThroughputPolicy Load(string runDirectory, TaskRequest request, int horizon)
    {
        var run = SupervisedTaskVerbs.Load(runDirectory, ThroughputTask.TaskId, ThroughputModel.Factory, request);
        return new AdaptedThroughputPolicy(Path.GetFullPath(runDirectory), run, horizon);
    }

    /// <inheritdoc />
    public void BeginEpisode()
    {
    }

    /// <inheritdoc />
    public float[] Act(float[] observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        using var predicted = _run.Predict([new ThroughputWindow(observation, new float[_horizon])]);
        return predicted.cpu().data<float>().ToArray();
    }

    /// <inheritdoc />
    public void Dispose() => _run.Dispose();
}
