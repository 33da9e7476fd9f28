using NetLlm.Testing;

namespace NetLlm.Backbones.Tests;

/// <summary>
/// Approved state-dict snapshots (<c>Snapshots/&lt;preset&gt;.txt</c>, one <c>name [shape]</c> line per tensor, sorted).
/// A mismatch writes <c>&lt;preset&gt;.received.txt</c> next to the approved file for review.
/// </summary>
internal static class ShapeSnapshot
{
    public static string Render(IEnumerable<KeyValuePair<string, long[]>> shapes) =>
        string.Join("\n", shapes.Select(kv => $"{kv.Key} [{string.Join(", ", kv.Value)}]")) + "\n";

    public static void AssertMatches(string preset, IEnumerable<KeyValuePair<string, long[]>> shapes)
    {
        var dir = Path.Combine(TestPaths.RepoRoot ?? throw new InvalidOperationException("repository root not found"), "tests", "NetLlm.Backbones.Tests", "Snapshots");
        var approved = Path.Combine(dir, preset + ".txt");
        var text = Render(shapes);
        var expected = File.Exists(approved) ? File.ReadAllText(approved) : string.Empty;
        if (expected != text)
        {
            File.WriteAllText(Path.Combine(dir, preset + ".received.txt"), text);
        }

        Assert.True(File.Exists(approved), $"no approved snapshot {approved}; review {preset}.received.txt and rename it");
        Assert.Equal(expected, text);
    }
}
