using System.Collections.Concurrent;

namespace NetLlm.Tasks.JobScheduling.Data;

/// <summary>
/// The 22 × 7 TPC-H job templates of one <c>tpch_json</c> folder, each loaded on first use and then shared.
/// Catalogs are cached per folder for the process, so environments created repeatedly do not re-read the data.
/// </summary>
public sealed class TpchCatalog
{
    private static readonly ConcurrentDictionary<string, TpchCatalog> Cache = new(StringComparer.Ordinal);
    private readonly Lazy<TpchQuery>[] _queries;

    private TpchCatalog(string root)
    {
        Root = root;
        _queries = new Lazy<TpchQuery>[TpchSizes.All.Count * TpchSizes.QueryCount];
        for (var s = 0; s < TpchSizes.All.Count; s++)
        {
            for (var q = 1; q <= TpchSizes.QueryCount; q++)
            {
                var path = Path.Combine(root, TpchSizes.All[s], $"query_{q}.json");
                var size = TpchSizes.All[s];
                var query = q;
                _queries[Index(q, s)] = new Lazy<TpchQuery>(() => LoadChecked(path, query, size), LazyThreadSafetyMode.ExecutionAndPublication);
            }
        }
    }

    /// <summary>The <c>tpch_json</c> folder.</summary>
    public string Root { get; }

    /// <summary>
    /// The catalog of <paramref name="tpchJsonRoot"/> (shared per folder). Throws <see cref="DirectoryNotFoundException"/>
    /// naming the folder when it is missing.
    /// </summary>
    /// <param name="tpchJsonRoot">Folder holding <c>&lt;size&gt;/query_&lt;q&gt;.json</c>.</param>
    public static TpchCatalog Open(string tpchJsonRoot)
    {
        var full = Path.GetFullPath(tpchJsonRoot);
        if (!Directory.Exists(full))
        {
            var npy = Path.Combine(Path.GetDirectoryName(full) ?? full, "tpch");
            throw new DirectoryNotFoundException(Directory.Exists(npy)
                ? $"TPC-H JSON folder not found: {full}. {npy} holds the original .npy files, whose task durations are pickled Python objects that are not read; provide the JSON copies (tpch_json/<size>/query_<q>.json)."
                : $"TPC-H JSON folder not found: {full} (expected <data-root>/cjs/tpch_json/<size>/query_<q>.json)");
        }

        return Cache.GetOrAdd(full, r => new TpchCatalog(r));
    }

    /// <summary>The catalog under a data root: <c>&lt;dataRoot&gt;/cjs/tpch_json</c>.</summary>
    /// <param name="dataRoot">The data root.</param>
    public static TpchCatalog OpenDataRoot(string dataRoot) => Open(Path.Combine(dataRoot, "cjs", "tpch_json"));

    /// <summary>The template of query <paramref name="query"/> at size index <paramref name="sizeIndex"/>.</summary>
    /// <param name="query">Query number 1..22.</param>
    /// <param name="sizeIndex">Index into <see cref="TpchSizes.All"/>.</param>
    public TpchQuery Get(int query, int sizeIndex)
    {
        if (query < 1 || query > TpchSizes.QueryCount)
        {
            throw new ArgumentOutOfRangeException(nameof(query), $"TPC-H query {query} is not in 1..{TpchSizes.QueryCount}");
        }

        if (sizeIndex < 0 || sizeIndex >= TpchSizes.All.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(sizeIndex), $"size index {sizeIndex} is not in 0..{TpchSizes.All.Count - 1}");
        }

        return _queries[Index(query, sizeIndex)].Value;
    }

    /// <summary>The template of query <paramref name="query"/> at size <paramref name="size"/>.</summary>
    /// <param name="query">Query number 1..22.</param>
    /// <param name="size">Size name, for example <c>10g</c>.</param>
    public TpchQuery Get(int query, string size) => Get(query, TpchSizes.IndexOf(size));

    /// <summary>Loads (and so validates) every template.</summary>
    public IReadOnlyList<TpchQuery> LoadAll() => _queries.Select(q => q.Value).ToList();

    private static int Index(int query, int sizeIndex) => (sizeIndex * TpchSizes.QueryCount) + query - 1;

    private static TpchQuery LoadChecked(string path, int query, string size)
    {
        var q = TpchJsonLoader.Load(path);
        if (q.Query != query || q.Size != size)
        {
            throw new InvalidDataException($"{path}: holds query {q.Query} at size {q.Size}, expected query {query} at size {size}");
        }

        return q;
    }
}
