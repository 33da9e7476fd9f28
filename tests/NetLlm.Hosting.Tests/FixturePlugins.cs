using NetLlm.Testing;

namespace NetLlm.Hosting.Tests;

/// <summary>Copies chosen fixture plugins (built into artifacts/test-plugins) into a fresh plugins root.</summary>
internal sealed class FixturePlugins : IDisposable
{
    public FixturePlugins(params string[] names)
    {
        Root = Directory.CreateTempSubdirectory("netllm-plugins-").FullName;
        var source = Path.Combine(TestPaths.RepoRoot ?? throw new InvalidOperationException("tests must run from a checkout"), "artifacts", "test-plugins");
        foreach (var name in names)
        {
            var from = Path.Combine(source, name);
            if (!Directory.Exists(from))
            {
                throw new DirectoryNotFoundException($"fixture plugin {name} was not built into {source}");
            }

            var to = Path.Combine(Root, name);
            Directory.CreateDirectory(to);
            foreach (var file in Directory.GetFiles(from))
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }
        }
    }

    public string Root { get; }

    public string PathOf(string name) => Path.Combine(Root, name, name + ".dll");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
