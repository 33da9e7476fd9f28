using System.Text.Json.Nodes;
using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Policies;
using static TorchSharp.torch;

namespace NetLlm.Baselines.Track;

/// <summary>
/// TRACK as a viewport policy: encodes the normalised history, starts decoding from the last history row and
/// rolls out the future. Outputs are denormalised, or taken as degrees when the model was trained with the
/// original's loss. Owns (disposes) the model.
/// </summary>
public sealed class TrackPredictor : IPolicy<VpHistory, VpPrediction>, IBatchPolicy<VpHistory, VpPrediction>, IDescribedPolicy
{
    private readonly TrackModel _model;

    /// <summary>Wraps a model; the predictor takes ownership.</summary>
    /// <param name="model">A position-only TRACK model.</param>
    /// <param name="config">Its config (output units).</param>
    public TrackPredictor(TrackModel model, TrackConfig config)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.UsesSaliency)
        {
            throw new NotSupportedException(
                $"track: this model uses saliency maps ({model.SaliencyHeight}x{model.SaliencyWidth}); the viewport datasets here have no images, so only position-only TRACK models can be tested");
        }

        _model = model;
        _model.eval();
        Config = config;
    }

    /// <summary>The model's config.</summary>
    public TrackConfig Config { get; }

    /// <inheritdoc />
    public string Id => TrackProvider.PolicyId;

    /// <inheritdoc />
    public void BeginEpisode()
    {
    }

    /// <inheritdoc />
    public VpPrediction Act(VpHistory observation) => ActBatch([observation])[0];

    /// <inheritdoc />
    public IReadOnlyList<VpPrediction> ActBatch(IReadOnlyList<VpHistory> observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (observations.Count == 0)
        {
            return [];
        }

        var horizon = observations[0].FutureLength;
        if (observations.Any(h => h.FutureLength != horizon))
        {
            throw new ArgumentException("track: a batch must predict the same number of rows for every history");
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (positions, start) = TrackInputs.FromHistories(observations.Select(h => h.Angles).ToList());
        var output = _model.Forward(positions, null, start, null, horizon);
        var values = output.contiguous().data<float>().ToArray();
        var perSample = horizon * 3;
        var result = new VpPrediction[observations.Count];
        for (var i = 0; i < observations.Count; i++)
        {
            var slice = values.AsSpan(i * perSample, perSample);
            result[i] = new VpPrediction(Config.OriginalLoss ? slice.ToArray() : ViewportNormalization.Denormalize(slice));
        }

        return result;
    }

    /// <inheritdoc />
    public JsonObject Describe() => JsonNode.Parse(Config.ToJson())!.AsObject();

    /// <inheritdoc />
    public void Dispose() => _model.Dispose();
}
