using System.Globalization;
using System.Text.Json;
using NetLlm.Core.IO;

namespace NetLlm.Tasks.JobScheduling.Data;

/// <summary>
/// Reads one TPC-H query from its JSON copy (<c>tpch_json/&lt;size&gt;/query_&lt;q&gt;.json</c>:
/// <c>{"query", "size", "adj_mat", "task_duration", ...}</c>). The pickled <c>task_duration_*.npy</c> originals are
/// not read (see <see cref="TpchNpy"/>). Errors are <see cref="InvalidDataException"/>s naming the file and the
/// JSON location (or line, for syntax errors).
/// </summary>
public static class TpchJsonLoader
{
    /// <summary>The largest query file read (the shipped ones are under 20 KB).</summary>
    private const int MaxFileBytes = 64 << 20;

    private static readonly string[] Waves = ["first_wave", "rest_wave", "fresh_durations"];

    /// <summary>Loads and validates a query file.</summary>
    /// <param name="path">The JSON file.</param>
    public static TpchQuery Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"TPC-H query file not found: {path}", path);
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(
                BoundedFile.ReadAllBytes(path, MaxFileBytes, "a TPC-H query DAG is a few KB of JSON"),
                new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: line {(e.LineNumber ?? 0) + 1}: not valid JSON ({e.Message})", e);
        }

        using (doc)
        {
            return Parse(doc.RootElement, path);
        }
    }

    /// <summary>Validates a parsed query document.</summary>
    /// <param name="root">The document root.</param>
    /// <param name="path">File named in errors.</param>
    public static TpchQuery Parse(JsonElement root, string path)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path}: expected a JSON object at the top level");
        }

        var query = Property(root, "query", path).TryGetInt32(out var q)
            ? q
            : throw new InvalidDataException($"{path}: 'query' is not an integer");
        var size = Property(root, "size", path).ValueKind == JsonValueKind.String
            ? Property(root, "size", path).GetString()!
            : throw new InvalidDataException($"{path}: 'size' is not a string");
        var dag = DagStructure.FromAdjacency(ReadMatrix(Property(root, "adj_mat", path), path), path);

        var durations = Property(root, "task_duration", path);
        if (durations.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path}: 'task_duration' is not an object");
        }

        var byStage = new Dictionary<int, JsonElement>();
        foreach (var stage in durations.EnumerateObject())
        {
            if (!int.TryParse(stage.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 0 || id >= dag.StageCount)
            {
                throw new InvalidDataException($"{path}: task_duration has key '{stage.Name}', which is not a stage index 0..{dag.StageCount - 1}");
            }

            byStage[id] = stage.Value;
        }

        var stages = new StageProfile[dag.StageCount];
        for (var s = 0; s < stages.Length; s++)
        {
            if (!byStage.TryGetValue(s, out var stage))
            {
                throw new InvalidDataException($"{path}: task durations missing for stage {s} (task_duration has no key \"{s}\")");
            }

            var where = $"{path}: task_duration.{s}";
            if (stage.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{where} is not an object");
            }

            var tables = new DurationTable[Waves.Length];
            for (var w = 0; w < Waves.Length; w++)
            {
                if (!stage.TryGetProperty(Waves[w], out var wave))
                {
                    throw new InvalidDataException($"{where}: durations missing: no '{Waves[w]}' table");
                }

                tables[w] = ReadTable(wave, $"{where}.{Waves[w]}");
            }

            stages[s] = StageProfileBuilder.Build(tables[0], tables[1], tables[2], where);
        }

        return new TpchQuery(path, query, size, dag, stages);
    }

    private static JsonElement Property(JsonElement obj, string name, string path) =>
        obj.TryGetProperty(name, out var value) ? value : throw new InvalidDataException($"{path}: missing '{name}'");

    private static List<IReadOnlyList<double>> ReadMatrix(JsonElement matrix, string path)
    {
        if (matrix.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{path}: 'adj_mat' is not an array of rows");
        }

        var rows = new List<IReadOnlyList<double>>();
        var i = 0;
        foreach (var row in matrix.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{path}: adj_mat row {i} is not an array");
            }

            var values = new List<double>();
            foreach (var v in row.EnumerateArray())
            {
                values.Add(v.ValueKind == JsonValueKind.Number
                    ? v.GetDouble()
                    : throw new InvalidDataException($"{path}: adj_mat row {i} holds a non-number"));
            }

            rows.Add(values);
            i++;
        }

        return rows;
    }

    private static DurationTable ReadTable(JsonElement table, string where)
    {
        if (table.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{where} is not an object");
        }

        var keys = new List<int>();
        var lists = new List<double[]>();
        foreach (var level in table.EnumerateObject())
        {
            if (!int.TryParse(level.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var key) || key < 1)
            {
                throw new InvalidDataException($"{where}: key '{level.Name}' is not a positive executor count");
            }

            if (level.Value.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{where}.{level.Name} is not a list of durations");
            }

            var list = new double[level.Value.GetArrayLength()];
            var j = 0;
            foreach (var d in level.Value.EnumerateArray())
            {
                if (d.ValueKind != JsonValueKind.Number || !d.TryGetDouble(out var value) || !double.IsFinite(value) || value < 0)
                {
                    throw new InvalidDataException($"{where}.{level.Name}[{j}] is not a non-negative duration in ms");
                }

                list[j++] = value;
            }

            keys.Add(key);
            lists.Add(list);
        }

        return new DurationTable(keys.ToArray(), lists.ToArray());
    }
}
