using System.Globalization;
using NetLlm.Tasks.AdaptiveBitrate.Data;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Testbeds.DashPlayer.Shaping;

/// <summary>
/// A link as Mahimahi describes it: the milliseconds (within one period) at which one packet of
/// <see cref="PacketBytes"/> bytes may be delivered; the schedule loops with <see cref="PeriodMs"/>. Built from a
/// Mahimahi file (one integer millisecond per line) or from a cooked trace (<c>time_s Mbps</c> lines, the
/// simulator's format), in which case segment <c>i</c> runs at <c>Mbps[i]</c> from <c>Times[i-1]</c> (0 for the first)
/// to <c>Times[i]</c>, as the simulator walks it.
/// </summary>
public sealed class LinkTrace
{
    /// <summary>Bytes of one packet on the wire (Mahimahi's MTU-sized packet).</summary>
    public const int PacketBytes = 1500;

    /// <summary>
    /// Payload bytes one packet delivers: <see cref="PacketBytes"/> × the simulator's packet payload portion (0.95),
    /// so that the application-level shaper delivers payload at exactly the simulator's rate.
    /// </summary>
    public static readonly int PayloadBytes = (int)Math.Round(PacketBytes * AbrConstants.PacketPayloadPortion);

    private readonly long[] _opportunities;

    /// <summary>Builds a schedule.</summary>
    /// <param name="name">The trace's name.</param>
    /// <param name="opportunitiesMs">Delivery milliseconds within one period, ascending, each in [0, period].</param>
    /// <param name="periodMs">The period after which the schedule repeats.</param>
    public LinkTrace(string name, IReadOnlyList<long> opportunitiesMs, long periodMs)
    {
        ArgumentNullException.ThrowIfNull(opportunitiesMs);
        if (periodMs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(periodMs), periodMs, $"trace {name}: the period must be positive");
        }

        if (opportunitiesMs.Count == 0)
        {
            throw new ArgumentException($"trace {name}: no delivery opportunity (the link would never deliver)", nameof(opportunitiesMs));
        }

        for (var i = 0; i < opportunitiesMs.Count; i++)
        {
            if (opportunitiesMs[i] < 0 || opportunitiesMs[i] > periodMs || (i > 0 && opportunitiesMs[i] < opportunitiesMs[i - 1]))
            {
                throw new ArgumentException($"trace {name}: opportunity {i} ({opportunitiesMs[i]} ms) is not ascending within [0, {periodMs}] ms", nameof(opportunitiesMs));
            }
        }

        Name = name;
        _opportunities = [.. opportunitiesMs];
        PeriodMs = periodMs;
    }

    /// <summary>The trace's name.</summary>
    public string Name { get; }

    /// <summary>Length of one period in milliseconds.</summary>
    public long PeriodMs { get; }

    /// <summary>Delivery opportunities per period.</summary>
    public int OpportunitiesPerPeriod => _opportunities.Length;

    /// <summary>Mean wire rate over one period, Mbit/s.</summary>
    public double MeanMbps => _opportunities.Length * (double)PacketBytes * 8 / (PeriodMs * 1000.0);

    /// <summary>Opportunities at link times in the half-open interval (<paramref name="fromMs"/>, <paramref name="toMs"/>].</summary>
    public long CountBetween(long fromMs, long toMs)
    {
        if (toMs <= fromMs)
        {
            return 0;
        }

        return CountUpTo(toMs) - CountUpTo(fromMs);
    }

    /// <summary>The link time of the <paramref name="n"/>-th opportunity (1-based) after <paramref name="afterMs"/>.</summary>
    public long TimeOfNth(long afterMs, long n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var target = CountUpTo(afterMs) + n;
        var periods = (target - 1) / _opportunities.Length;
        var index = (int)((target - 1) % _opportunities.Length);
        return (periods * PeriodMs) + _opportunities[index];
    }

    /// <summary>
    /// When <paramref name="bytes"/> of payload are through, if the link is idle at <paramref name="startMs"/> and one
    /// packet carries <paramref name="payloadBytes"/>: the link time of the last packet needed.
    /// </summary>
    public long DeliveredAt(long startMs, long bytes, int payloadBytes)
    {
        var packets = Math.Max(1, (bytes + payloadBytes - 1) / payloadBytes);
        return TimeOfNth(startMs, packets);
    }

    // Opportunities at link times in [0, t] (t >= 0; each period contributes all its opportunities).
    private long CountUpTo(long t)
    {
        if (t < 0)
        {
            return 0;
        }

        var periods = t / PeriodMs;
        var rest = t % PeriodMs;
        var within = UpperBound(rest);
        return (periods * _opportunities.Length) + within;
    }

    private int UpperBound(long value)
    {
        int lo = 0, hi = _opportunities.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_opportunities[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>
    /// A cooked trace as packets: in every millisecond the wire bytes the trace's rate allows are added up and a packet
    /// opportunity is emitted each time another <see cref="PacketBytes"/> are complete.
    /// </summary>
    public static LinkTrace FromCooked(BandwidthTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var times = trace.Times;
        var mbps = trace.Mbps;
        var periodMs = (long)Math.Round(times[^1] * 1000.0);
        var opportunities = new List<long>();
        var segment = 1;
        var carried = 0.0;
        for (var ms = 1L; ms <= periodMs; ms++)
        {
            var t = ms / 1000.0;
            while (segment < times.Length - 1 && times[segment] < t)
            {
                segment++;
            }

            carried += mbps[segment] * 1e6 / 8 / 1000.0;
            while (carried >= PacketBytes)
            {
                opportunities.Add(ms);
                carried -= PacketBytes;
            }
        }

        return new LinkTrace(trace.QualifiedName, opportunities, periodMs);
    }

    /// <summary>Parses Mahimahi lines (one delivery millisecond per line; blank lines skipped).</summary>
    public static LinkTrace ParseMahimahi(string name, IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var values = new List<long>();
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (!long.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            {
                throw new InvalidDataException($"{name}:{number}: '{line}' is not a delivery millisecond (a Mahimahi trace has one integer per line)");
            }

            values.Add(ms);
        }

        if (values.Count == 0)
        {
            throw new InvalidDataException($"{name}: empty Mahimahi trace");
        }

        return new LinkTrace(name, values, Math.Max(1, values[^1]));
    }

    /// <summary>
    /// Loads a trace file: a Mahimahi trace when every line is one integer, else a cooked trace (the simulator's format).
    /// </summary>
    public static LinkTrace Load(string path)
    {
        var lines = File.ReadAllLines(path);
        var mahimahi = lines.Where(l => l.Trim().Length > 0).All(l => l.Trim().All(char.IsAsciiDigit));
        return mahimahi
            ? ParseMahimahi(Path.GetFileName(path), lines)
            : FromCooked(TraceLoader.LoadFile(path));
    }

    /// <summary>
    /// The schedule as a cooked trace for the simulator: delivered wire bytes per <paramref name="binMs"/> as Mbit/s
    /// (one line per bin; the first line at 0).
    /// </summary>
    public BandwidthTrace ToCooked(int binMs = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(binMs, 1);
        var bins = (int)Math.Max(1, (PeriodMs + binMs - 1) / binMs);
        var times = new List<double> { 0 };
        var rates = new List<double> { 0 };
        for (var b = 0; b < bins; b++)
        {
            var from = (long)b * binMs;
            var to = Math.Min(PeriodMs, from + binMs);
            var packets = CountBetween(from - (b == 0 ? 1 : 0), to);
            times.Add(to / 1000.0);
            rates.Add(packets * (double)PacketBytes * 8 / ((to - from) * 1000.0));
        }

        rates[0] = rates[1];
        return new BandwidthTrace(Name, string.Empty, times, rates, "mahimahi");
    }
}
