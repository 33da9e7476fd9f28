using System.Text.Json;

namespace NetLlm.Tasks.AdaptiveBitrate.Data;

/// <summary>
/// Reads per-trace start pointers (the original's <c>mahimahi_ptrs.pkl</c>, converted to a JSON list of integers,
/// one per trace in sorted file order). Pointer <c>p</c> starts the first download at sample <c>p</c>, with the
/// previous sample's time as the current time; it must be between 1 and the trace's sample count − 1.
/// </summary>
public static class StartPointerFile
{
    /// <summary>Reads the pointers and checks them against <paramref name="traces"/>; errors name the file and entry.</summary>
    /// <param name="path">JSON file holding a list of integers.</param>
    /// <param name="traces">The traces the pointers belong to, in the same order.</param>
    public static IReadOnlyList<int> Load(string path, IReadOnlyList<BandwidthTrace> traces)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: start-pointer file not found", path);
        }

        List<int> pointers;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{path}: expected a JSON list of integers, found {doc.RootElement.ValueKind}");
            }

            pointers = [];
            var index = 0;
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var p))
                {
                    throw new InvalidDataException($"{path}: entry {index} ({item.GetRawText()}) is not an integer");
                }

                pointers.Add(p);
                index++;
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e);
        }

        Check(path, pointers, traces);
        return pointers;
    }

    /// <summary>Checks pointers against traces; throws naming <paramref name="source"/> and the entry.</summary>
    /// <param name="source">Where the pointers came from.</param>
    /// <param name="pointers">One pointer per trace.</param>
    /// <param name="traces">The traces.</param>
    public static void Check(string source, IReadOnlyList<int> pointers, IReadOnlyList<BandwidthTrace> traces)
    {
        if (pointers.Count != traces.Count)
        {
            throw new InvalidDataException($"{source}: {pointers.Count} start pointers for {traces.Count} traces (one per trace, sorted file order)");
        }

        for (var i = 0; i < pointers.Count; i++)
        {
            if (pointers[i] < 1 || pointers[i] >= traces[i].Count)
            {
                throw new InvalidDataException(
                    $"{source}: entry {i} ({pointers[i]}) for trace {traces[i].Name} must be between 1 and {traces[i].Count - 1} (the trace has {traces[i].Count} samples)");
            }
        }
    }
}
