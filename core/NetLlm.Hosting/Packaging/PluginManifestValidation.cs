using System.Text.RegularExpressions;
using NetLlm.Abstractions;
using NetLlm.Abstractions.Plugins;

namespace NetLlm.Hosting.Packaging;

/// <summary>
/// The checks a plugin must pass before it is copied into a plugins directory: a lower-case dotted id, a version,
/// and a contract version this host implements (<see cref="ContractInfo.IsCompatible"/>).
/// </summary>
public static partial class PluginManifestValidation
{
    /// <summary>Throws <see cref="InvalidDataException"/> naming <paramref name="assemblyPath"/> when the manifest is unusable.</summary>
    /// <param name="manifest">The manifest read from the assembly.</param>
    /// <param name="assemblyPath">The assembly it was read from (named in the errors).</param>
    public static void Validate(PluginManifest manifest, string assemblyPath)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (!IdPattern().IsMatch(manifest.Id))
        {
            throw new InvalidDataException($"{assemblyPath}: plugin id '{manifest.Id}' must be lower-case words separated by dots or dashes (for example task.bandwidth)");
        }

        if (string.IsNullOrWhiteSpace(manifest.Version))
        {
            throw new InvalidDataException($"{assemblyPath}: plugin '{manifest.Id}' declares no version");
        }

        if (Plugins.ContractCheck.Problem(manifest) is { } problem)
        {
            throw new InvalidDataException($"{assemblyPath}: {problem}");
        }
    }

    [GeneratedRegex("^[a-z0-9]+([.-][a-z0-9]+)*$")]
    private static partial Regex IdPattern();
}
