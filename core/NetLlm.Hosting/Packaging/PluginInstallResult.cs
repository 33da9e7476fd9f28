using NetLlm.Abstractions.Plugins;

namespace NetLlm.Hosting.Packaging;

/// <summary>What <see cref="PluginInstaller.Install"/> did.</summary>
/// <param name="Manifest">The installed plugin's manifest.</param>
/// <param name="Folder">The plugin folder written (<c>&lt;plugins&gt;/&lt;Name&gt;</c>).</param>
/// <param name="Files">Number of files installed.</param>
/// <param name="Replaced">Folders of earlier installations that were replaced (only with <c>force</c>).</param>
/// <param name="Warnings">Things that do not stop the installation but will matter (a missing dependency).</param>
public sealed record PluginInstallResult(
    PluginManifest Manifest,
    string Folder,
    int Files,
    IReadOnlyList<string> Replaced,
    IReadOnlyList<string> Warnings);

/// <summary>What <see cref="PluginInstaller.Remove"/> did.</summary>
/// <param name="Manifest">The removed plugin's manifest.</param>
/// <param name="Folder">The plugin folder deleted.</param>
/// <param name="Warnings">Installed plugins that depend on the removed one.</param>
public sealed record PluginRemoveResult(PluginManifest Manifest, string Folder, IReadOnlyList<string> Warnings);
