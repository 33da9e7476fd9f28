using NetLlm.Tasks.ViewportPrediction.Data;
using static TorchSharp.torch;

namespace NetLlm.Baselines.Track;

/// <summary>Builds TRACK's input tensors from histories in degrees.</summary>
public static class TrackInputs
{
    /// <summary>
    /// Normalised histories <c>[n, M, 3]</c> and decoder starts <c>[n, 1, 3]</c> (the last history row). New tensors
    /// owned by the caller.
    /// </summary>
    /// <param name="histories">Row-major <c>[M, 3]</c> histories in degrees, equal lengths.</param>
    public static (Tensor Positions, Tensor Start) FromHistories(IReadOnlyList<float[]> histories)
    {
        if (histories.Count == 0)
        {
            throw new ArgumentException("track: empty batch");
        }

        var length = histories[0].Length;
        var data = new float[histories.Count * length];
        var start = new float[histories.Count * 3];
        for (var i = 0; i < histories.Count; i++)
        {
            if (histories[i].Length != length)
            {
                throw new ArgumentException($"track: history {i} has {histories[i].Length} values, the batch {length}");
            }

            var normalized = ViewportNormalization.Normalize(histories[i]);
            normalized.CopyTo(data, i * length);
            Array.Copy(normalized, length - 3, start, i * 3, 3);
        }

        return (tensor(data, [histories.Count, length / 3, 3]), tensor(start, [histories.Count, 1, 3]));
    }

    /// <summary>Targets <c>[n, F, 3]</c>: normalised, or in degrees for the original's loss. New tensor, caller owns.</summary>
    /// <param name="futures">Row-major <c>[F, 3]</c> futures in degrees.</param>
    /// <param name="degrees">Keep degrees (the original's loss) instead of normalising.</param>
    public static Tensor Targets(IReadOnlyList<float[]> futures, bool degrees)
    {
        var length = futures[0].Length;
        var data = new float[futures.Count * length];
        for (var i = 0; i < futures.Count; i++)
        {
            (degrees ? futures[i] : ViewportNormalization.Normalize(futures[i])).CopyTo(data, i * length);
        }

        return tensor(data, [futures.Count, length / 3, 3]);
    }
}
