using ScottPlot;

namespace NetLlm.Reporting.Plots;

/// <summary>Shared look of the report plots: size, one colour per policy (Category10), labels and file names.</summary>
public static class PlotStyle
{
    /// <summary>Width of a plot in pixels.</summary>
    public const int Width = 900;

    /// <summary>Height of a plot in pixels.</summary>
    public const int Height = 560;

    private static readonly ScottPlot.Palettes.Category10 Palette = new();

    /// <summary>The colour of the policy at <paramref name="index"/> in report order.</summary>
    /// <param name="index">Policy index.</param>
    public static Color PolicyColor(int index) => Palette.GetColor(index);

    /// <summary>An axis label for the metric, for example <c>avg_jct_s (s)</c>.</summary>
    /// <param name="name">Metric or quantity name.</param>
    /// <param name="unit">Unit, empty for none.</param>
    public static string AxisLabel(string name, string unit) => string.IsNullOrEmpty(unit) ? name : $"{name} ({unit})";

    /// <summary>A file-name-safe form of <paramref name="name"/> (letters, digits, <c>-</c>, <c>_</c>, <c>.</c>).</summary>
    /// <param name="name">A setting or component name.</param>
    public static string FileSafe(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray();
        return chars.Length == 0 ? "_" : new string(chars);
    }

    /// <summary>
    /// Saves <paramref name="plot"/> as a PNG of the standard size: rendered to a temporary file in the same folder,
    /// then renamed over <paramref name="path"/>, so a reader never sees a half-written image.
    /// </summary>
    /// <param name="plot">The plot.</param>
    /// <param name="path">Destination file.</param>
    public static void Save(Plot plot, string path)
    {
        ArgumentNullException.ThrowIfNull(plot);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp.png";
        try
        {
            plot.SavePng(temp, Width, Height);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
