using System.Globalization;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Environments;
using NetLlm.Abstractions.Tasks;
using NetLlm.Tasks.AdaptiveBitrate.Qoe;
using NetLlm.Tasks.AdaptiveBitrate.Results;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Tasks.AdaptiveBitrate.Scoring;

/// <summary>
/// Scores a run as the original's <c>calc_mean_reward</c> does: the QoE of every chunk but each trace's first (chunk 0,
/// downloaded at quality 0 in <see cref="AbrEnvironment.Reset"/>), summed per trace and then over the run; the metric
/// is the mean per scored chunk, the items the per-trace means, the components the three QoE terms
/// (<c>bitrate − rebuffer − smoothness = mean QoE</c>). With a results folder it keeps every chunk and writes the
/// original's per-trace result files there when the run completes.
/// </summary>
public sealed class AbrRunScorer : IRunScorer<AbrObservation, int>
{
    private readonly string? _resultsFolder;
    private readonly bool _recordChunks;
    private readonly List<AbrTraceResult> _traces = [];
    private QoeAccumulator _total;
    private QoeAccumulator _episode;
    private List<AbrChunkOutcome>? _chunks;
    private string _name = string.Empty;
    private int _position;
    private AbrScenario? _scenario;

    /// <summary>Creates a scorer.</summary>
    /// <param name="resultsFolder">Folder for the original's per-trace result files, or null.</param>
    /// <param name="recordChunks">Keep every chunk outcome (implied by a results folder).</param>
    public AbrRunScorer(string? resultsFolder = null, bool recordChunks = false)
    {
        _resultsFolder = resultsFolder;
        _recordChunks = recordChunks || resultsFolder is not null;
    }

    /// <summary>The episodes scored so far, in order.</summary>
    public IReadOnlyList<AbrTraceResult> Traces => _traces;

    /// <summary>QoE sums over every episode scored so far.</summary>
    public QoeAccumulator Qoe => _total;

    /// <inheritdoc />
    public void BeginEpisode(AbrObservation first, IEnvironment<AbrObservation, int> environment)
    {
        var abr = environment as AbrEnvironment
            ?? throw new InvalidOperationException($"the abr scorer needs an {nameof(AbrEnvironment)}, got {environment?.GetType().Name ?? "null"}");
        _scenario ??= abr.Scenario;
        _name = abr.CurrentTrace.QualifiedName;
        _position = abr.CurrentPosition;
        _episode = default;
        _chunks = _recordChunks ? new List<AbrChunkOutcome>(AbrConstants.TotalChunks) : null;
        Add(first.LastChunk, firstOfTrace: true);
    }

    /// <inheritdoc />
    public void Step(in AbrObservation observation, int action, in StepResult<AbrObservation> step) => Add(step.Observation.LastChunk, firstOfTrace: false);

    /// <inheritdoc />
    public void EndEpisode(IEnvironment<AbrObservation, int> environment)
    {
        _total.Add(_episode);
        _traces.Add(new AbrTraceResult(_name, _position, _episode, (IReadOnlyList<AbrChunkOutcome>?)_chunks ?? []));
        _chunks = null;
    }

    /// <inheritdoc />
    public RunScore Complete()
    {
        if (_traces.Count == 0)
        {
            throw new InvalidOperationException("no episode was scored");
        }

        string? written = null;
        if (_resultsFolder is not null)
        {
            written = Path.GetFullPath(_resultsFolder);
            AbrResultsWriter.Write(written, _traces);
        }

        var q = _total;
        var details = new JsonObject
        {
            ["n_traces"] = _traces.Count,
            ["n_chunks_scored"] = q.Scored,
            ["mean_bitrate_mbps"] = q.MeanBitrateMbps,
            ["mean_rebuffer_s"] = q.MeanRebufferSeconds,
            ["mean_abs_dbitrate_mbps"] = q.MeanSmoothnessMbps,
            ["mean_qoe_all_chunks"] = q.MeanQoeAllChunks,
            ["traces"] = _scenario!.Name,
            ["video"] = _scenario.Video.Name,
            ["deterministic"] = _scenario.Deterministic,
        };
        var notes = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"{q.Scored} chunks scored; mean rebuffering {q.MeanRebufferSeconds:F4} s per chunk"),
        };
        if (written is not null)
        {
            details["results_dir"] = written;
            notes.Add($"Result files: {written}");
        }

        return new RunScore
        {
            Metric = q.MeanQoe,
            Items = _traces.Select(t => new ScoredItem(t.Name, t.MeanQoe)).ToList(),
            Components = new Dictionary<string, double>
            {
                [AbrTaskInfo.BitrateComponent] = q.MeanBitrateMbps,
                [AbrTaskInfo.RebufferComponent] = q.MeanRebufferPenalty,
                [AbrTaskInfo.SmoothnessComponent] = q.MeanSmoothnessMbps,
            },
            Details = details,
            Notes = notes,
        };
    }

    private void Add(in AbrChunkOutcome chunk, bool firstOfTrace)
    {
        _episode.Add(chunk, firstOfTrace);
        _chunks?.Add(chunk);
    }
}
