namespace NetLlm.Reporting.Statistics;

/// <summary>
/// How much better the best policy of a setting is than another one, in the metric's direction:
/// <c>(best − other) / |other|</c> × 100 when higher is better, <c>(other − best) / |other|</c> × 100 when lower is
/// better (so a positive number always means the best policy is better; for JCT and MAE it is the reduction).
/// </summary>
/// <param name="Setting">Setting.</param>
/// <param name="Best">The best policy of the setting.</param>
/// <param name="Other">The policy compared with.</param>
/// <param name="BestMean">Best policy's mean metric.</param>
/// <param name="OtherMean">Other policy's mean metric.</param>
/// <param name="Percent">Improvement in percent, or null when the other mean is zero.</param>
public sealed record PolicyImprovement(string Setting, string Best, string Other, double BestMean, double OtherMean, double? Percent)
{
    /// <summary>Computes the improvement of <paramref name="bestMean"/> over <paramref name="otherMean"/>.</summary>
    /// <param name="setting">Setting.</param>
    /// <param name="best">Best policy.</param>
    /// <param name="other">Other policy.</param>
    /// <param name="bestMean">Best policy's mean.</param>
    /// <param name="otherMean">Other policy's mean.</param>
    /// <param name="higherIsBetter">The metric's direction.</param>
    public static PolicyImprovement Of(string setting, string best, string other, double bestMean, double otherMean, bool higherIsBetter)
    {
        double? percent = otherMean == 0
            ? null
            : (higherIsBetter ? bestMean - otherMean : otherMean - bestMean) / Math.Abs(otherMean) * 100.0;
        return new PolicyImprovement(setting, best, other, bestMean, otherMean, percent);
    }
}
