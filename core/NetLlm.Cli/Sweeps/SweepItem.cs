using System.Text;

namespace NetLlm.Cli.Sweeps;

/// <summary>
/// One grid point of a sweep: an <c>adapt</c> run (and its <c>test</c>) with one value of every axis. Its run
/// directory and result files are under the sweep's output folder, named by <see cref="Id"/>.
/// </summary>
/// <param name="Id">Stable id: the grid index and the axis values (a folder name).</param>
/// <param name="Values">The value of every axis, in axis order.</param>
/// <param name="Adapt">The options of its <c>adapt</c> run: the fixed options then the axis values.</param>
public sealed record SweepItem(string Id, IReadOnlyList<SweepOption> Values, IReadOnlyList<SweepOption> Adapt)
{
    /// <summary>Every grid point of <paramref name="file"/>, the first axis varying slowest.</summary>
    /// <param name="file">The sweep file.</param>
    public static IReadOnlyList<SweepItem> Expand(SweepFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        IEnumerable<IReadOnlyList<SweepOption>> points = [[]];
        foreach (var axis in file.Axes)
        {
            points = points.SelectMany(p => axis.Values.Select(v => (IReadOnlyList<SweepOption>)[.. p, new SweepOption(axis.Name, [v])]));
        }

        var list = points.ToList();
        var digits = Math.Max(3, (list.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        return [.. list.Select((values, i) => new SweepItem(Name(i, digits, values), values, [.. file.Adapt, .. values]))];
    }

    /// <summary>A readable label of the axis values ("rank=4 seed=1").</summary>
    public string Label => string.Join(" ", Values.Select(v => v.Name + "=" + v.Values[0]));

    private static string Name(int index, int digits, IReadOnlyList<SweepOption> values)
    {
        var text = new StringBuilder(index.ToString("D" + digits, System.Globalization.CultureInfo.InvariantCulture));
        foreach (var value in values)
        {
            text.Append('_').Append(value.Name).Append('-').Append(value.Values[0]);
        }

        var clean = new string([.. text.ToString().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-')]);
        return clean.Length <= 96 ? clean : clean[..96];
    }
}
