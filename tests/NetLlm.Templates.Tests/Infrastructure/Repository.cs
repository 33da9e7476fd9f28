using System.Reflection;
using NetLlm.Testing;

namespace NetLlm.Templates.Tests.Infrastructure;

/// <summary>Paths of the checkout the tests run from, and of the build outputs they use.</summary>
internal static class Repository
{
    /// <summary>The repository root.</summary>
    public static string Root => TestPaths.RepoRoot ?? throw new InvalidOperationException("the template tests must run from a NetLlm.Extensible checkout");

    /// <summary>The configuration this test assembly was built in (Debug or Release); the CLI and packages use the same.</summary>
    public static string Configuration =>
        typeof(Repository).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The template pack folder.</summary>
    public static string Templates => Path.Combine(Root, "templates");

    /// <summary>The netllm CLI assembly, built through the test project's reference.</summary>
    public static string Cli
    {
        get
        {
            var path = Path.Combine(Root, "core", "NetLlm.Cli", "bin", Configuration, "net10.0", "netllm.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"the netllm CLI was not built at {path} (build tests/NetLlm.Templates.Tests, which references it)", path);
        }
    }

    /// <summary>The plugins the CLI bundles (the repository's own).</summary>
    public static string BundledPlugins => Path.Combine(Path.GetDirectoryName(Cli)!, "plugins");

    /// <summary>A fixture plugin built into artifacts/test-plugins.</summary>
    /// <param name="name">Fixture project name, for example <c>NetLlm.Fixtures.Good</c>.</param>
    public static string FixturePlugin(string name)
    {
        var path = Path.Combine(Root, "artifacts", "test-plugins", name);
        return Directory.Exists(path) ? path : throw new DirectoryNotFoundException($"fixture plugin {name} was not built into {path}");
    }

    /// <summary>The project file of a core library.</summary>
    /// <param name="name">Project name, for example <c>NetLlm.Core</c>.</param>
    public static string CoreProject(string name) => Path.Combine(Root, "core", name, name + ".csproj");
}
