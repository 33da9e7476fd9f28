namespace NetLlm.Tasks.AdaptiveBitrate.Data;

/// <summary>
/// A network bandwidth trace in the Pensieve "cooked" format: sample <c>i</c> says the link delivered
/// <see cref="Mbps"/>[i] Mbit/s during <c>(Times[i-1], Times[i]]</c> seconds. Immutable once built; the arrays are
/// validated (at least two samples, finite, strictly increasing non-negative times, non-negative bandwidth and some
/// positive bandwidth after the first sample, so that every download finishes).
/// </summary>
public sealed class BandwidthTrace
{
    private readonly double[] _times;
    private readonly double[] _mbps;

    /// <summary>Creates a trace, validating it; errors name <paramref name="source"/> and the sample.</summary>
    /// <param name="name">File name of the trace (without folder).</param>
    /// <param name="group">Name of the folder the trace came from (the original prefixes result files with it).</param>
    /// <param name="times">Sample times in seconds (copied).</param>
    /// <param name="mbps">Bandwidth per sample in Mbit/s (copied).</param>
    /// <param name="source">Where the samples came from, for error messages (a path, or a description).</param>
    public BandwidthTrace(string name, string group, IReadOnlyList<double> times, IReadOnlyList<double> mbps, string? source = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(mbps);
        var where = source ?? name;
        if (times.Count != mbps.Count)
        {
            throw new InvalidDataException($"{where}: {times.Count} times but {mbps.Count} bandwidth samples");
        }

        var problem = Validate(times, mbps, null);
        if (problem is not null)
        {
            throw new InvalidDataException($"{where}: {problem}");
        }

        Name = name;
        Group = group;
        _times = [.. times];
        _mbps = [.. mbps];
    }

    /// <summary>File name of the trace.</summary>
    public string Name { get; }

    /// <summary>Folder (set) name the trace belongs to, for example <c>fcc-test</c>.</summary>
    public string Group { get; }

    /// <summary>
    /// The name the original uses in result files: <c>&lt;folder&gt;_&lt;file&gt;</c>
    /// (<c>result_sim_abr_&lt;QualifiedName&gt;</c>).
    /// </summary>
    public string QualifiedName => Group.Length == 0 ? Name : Group + "_" + Name;

    /// <summary>Number of samples.</summary>
    public int Count => _times.Length;

    /// <summary>Sample times in seconds.</summary>
    public ReadOnlySpan<double> Times => _times;

    /// <summary>Bandwidth per sample in Mbit/s.</summary>
    public ReadOnlySpan<double> Mbps => _mbps;

    /// <summary>Mean bandwidth over the samples, in Mbit/s.</summary>
    public double MeanMbps => _mbps.Average();

    /// <summary>Duration covered by the samples, in seconds.</summary>
    public double DurationSeconds => _times[^1] - _times[0];

    internal double[] TimesArray => _times;

    internal double[] MbpsArray => _mbps;

    /// <summary>
    /// Checks samples without building a trace: null when valid, otherwise the problem with its 1-based sample
    /// (line) number.
    /// </summary>
    /// <param name="times">Sample times in seconds.</param>
    /// <param name="mbps">Bandwidth per sample in Mbit/s.</param>
    public static string? Validate(IReadOnlyList<double> times, IReadOnlyList<double> mbps) => Validate(times, mbps, null);

    /// <summary>As <see cref="Validate(IReadOnlyList{double}, IReadOnlyList{double})"/>, naming file lines.</summary>
    /// <param name="times">Sample times in seconds.</param>
    /// <param name="mbps">Bandwidth per sample in Mbit/s.</param>
    /// <param name="lineNumbers">1-based file line of each sample, or null to name samples by position.</param>
    internal static string? Validate(IReadOnlyList<double> times, IReadOnlyList<double> mbps, IReadOnlyList<int>? lineNumbers)
    {
        string At(int i) => lineNumbers is null ? $"sample {i + 1}" : $"line {lineNumbers[i]}";

        if (times.Count == 0)
        {
            return "empty trace (no samples)";
        }

        if (times.Count == 1)
        {
            return "only one sample; a trace needs at least two (the first sample only marks the start time)";
        }

        var anyPositive = false;
        for (var i = 0; i < times.Count; i++)
        {
            if (!double.IsFinite(times[i]))
            {
                return $"{At(i)}: time {times[i]} is not a finite number";
            }

            if (!double.IsFinite(mbps[i]))
            {
                return $"{At(i)}: bandwidth {mbps[i]} is not a finite number";
            }

            if (times[i] < 0)
            {
                return $"{At(i)}: negative time {times[i]}";
            }

            if (mbps[i] < 0)
            {
                return $"{At(i)}: negative bandwidth {mbps[i]}";
            }

            if (i > 0 && times[i] <= times[i - 1])
            {
                return $"{At(i)}: time {times[i]} does not increase ({At(i - 1)} has {times[i - 1]})";
            }

            anyPositive |= i > 0 && mbps[i] > 0;
        }

        return anyPositive ? null : "every bandwidth sample after the first is zero: no chunk could ever be downloaded";
    }
}
