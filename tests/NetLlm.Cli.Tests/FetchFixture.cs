using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Data;

namespace NetLlm.Cli.Tests;

/// <summary>
/// A small data set for the fetch tests: three files of a public source (served under <c>/upstream/</c> with a map
/// from <c>abr/</c>) and one curated file, with a manifest built from their real sizes and SHA-256, plus the same files
/// laid out like a data root under <c>/mirror/</c>.
/// </summary>
internal sealed class FetchFixture
{
    public const string Big = "abr/traces/big.txt";
    public const string Small = "abr/videos/small.txt";
    public const string Empty = "abr/videos/empty.txt";
    public const string Curated = "abr/notes.json";

    public FetchFixture()
    {
        Content = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [Big] = Bytes(300_000, 7),
            [Small] = Encoding.ASCII.GetBytes("1\n2\n3\n"),
            [Empty] = [],
            [Curated] = Encoding.ASCII.GetBytes("{\"curated\": true}\n"),
        };
    }

    public Dictionary<string, byte[]> Content { get; }

    /// <summary>What the server serves: upstream paths for the public files, the mirror layout for everything.</summary>
    public Dictionary<string, byte[]> Served() => new(
        Content.Where(kv => kv.Key != Curated).Select(kv => KeyValuePair.Create("/upstream/data/" + kv.Key["abr/".Length..], kv.Value))
            .Concat(Content.Select(kv => KeyValuePair.Create("/mirror/" + kv.Key, kv.Value))),
        StringComparer.Ordinal);

    public IReadOnlyList<DataFile> Files(Uri server)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# fixture\nsource\tnetllm\t{server}upstream/\tfixture source\nmap\tnetllm\tabr/\tdata/\n");
        foreach (var (path, bytes) in Content.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (path == Curated)
            {
                text.Append(CultureInfo.InvariantCulture, $"file\t{path}\t{bytes.Length}\t{sha}\tcurated\tnotes written by hand\n");
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"file\t{path}\t{bytes.Length}\t{sha}\tnetllm\n");
            }
        }

        return DataManifest.Parse(text.ToString(), "fixture.tsv").Files;
    }

    private static byte[] Bytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
