using NetLlm.Hosting.Packaging;

namespace NetLlm.Hosting.Tests;

/// <summary>
/// A plugin folder is named after the package's main assembly: names that would leave the plugins directory (a
/// package whose assembly is <c>..dll</c> named its parent, and <c>--force</c> replaced it) are refused up front.
/// </summary>
public sealed class PluginFolderNameTests
{
    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("plugin name")]
    [InlineData("x\u0000y")]
    public void NamesThatCouldLeaveThePluginsDirectory_AreRefused(string name)
    {
        var e = Assert.Throws<InvalidDataException>(() => PluginInstaller.CheckedFolderName(name, "pkg.nupkg"));
        Assert.StartsWith("pkg.nupkg: the plugin assembly name", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NetLlm.Tasks.AdaptiveBitrate")]
    [InlineData("My-Plugin_2")]
    public void OrdinaryAssemblyNames_AreKept(string name) => Assert.Equal(name, PluginInstaller.CheckedFolderName(name, "pkg.nupkg"));
}
