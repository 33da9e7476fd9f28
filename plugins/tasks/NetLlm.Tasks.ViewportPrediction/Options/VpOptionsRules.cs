using NetLlm.Abstractions.Tasks;
using NetLlm.Tasks.ViewportPrediction.Data;

namespace NetLlm.Tasks.ViewportPrediction.Options;

/// <summary>
/// The rules between <see cref="VpOptions"/> (the host checks single ranges) and what the options stand for: the
/// dataset, the windows and the data request of a split. Errors are <see cref="ArgumentException"/>s naming the option.
/// </summary>
public static class VpOptionsRules
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the option when the options are inconsistent; returns them.</summary>
    /// <param name="options">The options.</param>
    public static VpOptions Check(VpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ = Dataset(options);
        _ = Window(options);
        if (options.ImageFeatures is not null && options.Frames is not null)
        {
            throw new ArgumentException("options --image-features and --frames: give one (precomputed features are the image encoder's outputs for the frames and replace them)");
        }

        return options;
    }

    /// <summary>The dataset the options name; throws naming <c>--dataset</c> and the known datasets.</summary>
    /// <param name="options">The options.</param>
    public static ViewportDatasetInfo Dataset(VpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ViewportDatasetCatalog.All.FirstOrDefault(d => string.Equals(d.Name, options.Dataset, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"option --dataset: unknown viewport dataset '{options.Dataset}'; known: {string.Join(", ", ViewportDatasetCatalog.All.Select(d => d.Name))}");
    }

    /// <summary>The windows the options name, validated (errors name <c>--history</c>, <c>--trim-head</c>, ...).</summary>
    /// <param name="options">The options.</param>
    public static ViewportWindow Window(VpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ViewportWindow(options.History, options.Future, options.TrimHead, options.TrimTail, options.Step).Validate();
    }

    /// <summary>
    /// What to load for <paramref name="split"/>: the configured split (<c>--split</c>) or the train or valid split,
    /// with the options' dataset, windows, videos and viewers (which apply to every split).
    /// </summary>
    /// <param name="options">The options.</param>
    /// <param name="split">Which split.</param>
    public static ViewportDataRequest DataRequest(VpOptions options, DataSplit split)
    {
        Check(options);
        return new ViewportDataRequest
        {
            ViewportsFolder = options.Viewports,
            Dataset = Dataset(options),
            Split = split switch
            {
                DataSplit.Configured => options.Split,
                DataSplit.Train => ViewportSplit.Train,
                DataSplit.Valid => ViewportSplit.Valid,
                _ => throw new ArgumentOutOfRangeException(nameof(split), split, "unknown split"),
            },
            Videos = options.Videos,
            Viewers = options.Viewers,
            Window = Window(options),
            TimeTolerance = options.TimeTolerance,
        };
    }
}
