using System.Globalization;
using System.Text.Json.Nodes;

namespace NetLlm.Core.Adaptation;

/// <summary>
/// The experience pools one adaptation trains on: <c>--pool</c> names one file, or several separated by commas,
/// which are concatenated in the order given (episodes renumbered after the previous pools', state offsets shifted)
/// into one pool. Pools of different collections may be combined (other policies, settings, seeds or task options)
/// as long as they are of the same task and state codec and have the same action components and state arrays.
/// </summary>
/// <param name="Paths">The pool files, in order.</param>
public sealed record PoolList(IReadOnlyList<string> Paths)
{
    /// <summary>Splits an option value into pool files (commas separate them; empty entries are refused).</summary>
    /// <param name="value">The option's value.</param>
    /// <param name="option">The option's name, for errors.</param>
    public static PoolList Parse(string value, string option)
    {
        ArgumentNullException.ThrowIfNull(value);
        var paths = value.Split(',').Select(p => p.Trim()).ToList();
        if (paths.Any(p => p.Length == 0))
        {
            throw new ArgumentException($"option {option} is '{value}': an empty file name (pools are separated by single commas)");
        }

        var repeated = paths.GroupBy(p => Path.GetFullPath(p), StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw new ArgumentException($"option {option} names {repeated.Key} {repeated.Count()} times; a pool is combined once (collect more episodes instead)");
        }

        return new PoolList(paths);
    }

    /// <summary>How errors and notes name the pool: the file, or the files joined with " + ".</summary>
    public string Name => string.Join(" + ", Paths);

    /// <summary>Loads the pool: the one file as it is, or the files combined (errors name the file that does not fit).</summary>
    public ExperiencePool Load()
    {
        if (Paths.Count == 1)
        {
            return ExperiencePool.Load(Paths[0]);
        }

        var parts = Paths.Select(ExperiencePool.Load).ToList();
        var first = parts[0];
        var sources = new JsonArray();
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            if (CollectionShards.Incompatibility(part, first) is { } mismatch)
            {
                throw new InvalidDataException($"{Paths[i]}: its {mismatch} differs from the first pool's ({Paths[0]}): pools of one task and state codec can be combined, not these");
            }

            sources.Add(new JsonObject
            {
                ["path"] = Path.GetFullPath(Paths[i]),
                ["steps"] = part.Count,
                ["episodes"] = part.EpisodeCount,
                ["info"] = part.Info.DeepClone(),
            });
        }

        var info = new JsonObject
        {
            ["combined"] = sources,
            ["created_utc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        };
        return CollectionShards.Concat(parts, info);
    }

    /// <summary>The files' paths and SHA-256 fingerprints as the run records them: comma-joined when there are several.</summary>
    public (string Path, string Sha256) Fingerprint() =>
        (string.Join(",", Paths.Select(System.IO.Path.GetFullPath)), string.Join(",", Paths.Select(ExperiencePool.Fingerprint)));
}
