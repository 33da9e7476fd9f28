namespace NetLlm.Tasks.JobScheduling.Data;

/// <summary>The TPC-H input sizes and query numbers of the dataset.</summary>
public static class TpchSizes
{
    /// <summary>Input sizes in the original's order (a job's size is drawn uniformly from it).</summary>
    public static IReadOnlyList<string> All { get; } = ["2g", "5g", "10g", "20g", "50g", "80g", "100g"];

    /// <summary>Number of queries per size (queries are numbered 1..22).</summary>
    public const int QueryCount = 22;

    /// <summary>Index of <paramref name="size"/> in <see cref="All"/>; throws naming the known sizes.</summary>
    /// <param name="size">Size name, for example <c>10g</c>.</param>
    public static int IndexOf(string size)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (All[i] == size)
            {
                return i;
            }
        }

        throw new ArgumentException($"unknown TPC-H size '{size}'; known: {string.Join(", ", All)}");
    }
}
