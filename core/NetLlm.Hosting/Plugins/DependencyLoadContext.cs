using System.Reflection;
using System.Runtime.Loader;

namespace NetLlm.Hosting.Plugins;

/// <summary>
/// The "default" context handed to a plugin that depends on other plugins: assemblies are resolved from the
/// dependencies' load contexts first (so the plugin sees the same types as its dependencies, for example a
/// baseline plugin and the task whose observation type it consumes), then from the host's context.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private readonly IReadOnlyList<AssemblyLoadContext> _dependencies;

    public DependencyLoadContext(string name, IReadOnlyList<AssemblyLoadContext> dependencies)
        : base(name, isCollectible: false)
    {
        _dependencies = dependencies;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        foreach (var dependency in _dependencies)
        {
            var loaded = dependency.Assemblies.FirstOrDefault(a => AssemblyName.ReferenceMatchesDefinition(assemblyName, a.GetName()));
            if (loaded is not null)
            {
                return loaded;
            }
        }

        foreach (var dependency in _dependencies)
        {
            try
            {
                var assembly = dependency.LoadFromAssemblyName(assemblyName);
                if (assembly is not null)
                {
                    return assembly;
                }
            }
            catch (FileNotFoundException)
            {
            }
            catch (FileLoadException)
            {
            }
        }

        return null;
    }
}
