using System.Text.RegularExpressions;
using NetLlm.Abstractions;
using NetLlm.Abstractions.Plugins;

namespace NetLlm.Testing.Conformance;

/// <summary>Checks of plugin manifests.</summary>
public static partial class ManifestChecks
{
    /// <summary>
    /// The assembly declares exactly one <see cref="NetLlmPluginAttribute"/> with a lower-case dotted id, a version,
    /// and a contract version this host accepts; <paramref name="otherIds"/> must not contain its id. Returns the
    /// manifest attribute.
    /// </summary>
    /// <param name="assembly">The plugin assembly.</param>
    /// <param name="otherIds">Ids of the other plugins it ships with.</param>
    public static NetLlmPluginAttribute HasValidManifest(System.Reflection.Assembly assembly, IEnumerable<string>? otherIds = null)
    {
        var attributes = assembly.GetCustomAttributes(typeof(NetLlmPluginAttribute), false).Cast<NetLlmPluginAttribute>().ToList();
        if (attributes.Count != 1)
        {
            throw new ConformanceException(nameof(HasValidManifest), $"{assembly.GetName().Name} declares {attributes.Count} NetLlmPlugin manifests; exactly one is required");
        }

        var m = attributes[0];
        if (!IdPattern().IsMatch(m.Id))
        {
            throw new ConformanceException(nameof(HasValidManifest), $"plugin id '{m.Id}' must be lower-case words separated by dots or dashes (for example task.abr)");
        }

        if (string.IsNullOrWhiteSpace(m.Version))
        {
            throw new ConformanceException(nameof(HasValidManifest), $"plugin '{m.Id}' has no version");
        }

        if (m.ContractVersion is { } declared && !ContractInfo.IsCompatible(declared))
        {
            throw new ConformanceException(nameof(HasValidManifest), $"plugin '{m.Id}' declares contract {declared}; this host implements {ContractInfo.Version}");
        }

        foreach (var reference in assembly.GetReferencedAssemblies().Where(r => ContractInfo.SharedAssemblies.Contains(r.Name, StringComparer.Ordinal)))
        {
            var version = $"{reference.Version?.Major}.{reference.Version?.Minor}";
            if (!ContractInfo.IsCompatible(version))
            {
                throw new ConformanceException(nameof(HasValidManifest), $"plugin '{m.Id}' was built against {reference.Name} {version}; this host implements {ContractInfo.Version}");
            }
        }

        if (otherIds?.Contains(m.Id, StringComparer.Ordinal) == true)
        {
            throw new ConformanceException(nameof(HasValidManifest), $"plugin id '{m.Id}' is not unique");
        }

        return m;
    }

    [GeneratedRegex("^[a-z0-9]+([.-][a-z0-9]+)*$")]
    private static partial Regex IdPattern();
}
