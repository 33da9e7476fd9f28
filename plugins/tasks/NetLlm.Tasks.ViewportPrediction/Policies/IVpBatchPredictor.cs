namespace NetLlm.Tasks.ViewportPrediction.Policies;

/// <summary>
/// Optional for a viewport policy (<c>IPolicy&lt;VpHistory, VpPrediction&gt;</c>): predicts many histories at once
/// (neural predictors batch them). Evaluation uses it when present; results must equal calling <c>Act</c> per history.
/// </summary>
public interface IVpBatchPredictor
{
    /// <summary>Predictions for <paramref name="histories"/>, in order (inputs borrowed).</summary>
    /// <param name="histories">Histories with equal history and future lengths.</param>
    IReadOnlyList<VpPrediction> PredictBatch(IReadOnlyList<VpHistory> histories);
}
