using NetLlm.Abstractions;
using NetLlm.Hosting.Packaging;
using NetLlm.Hosting.Plugins;
using NetLlm.Templates.Tests.Infrastructure;

namespace NetLlm.Templates.Tests;

/// <summary>Installing plugin packages and folders into a plugins directory, and removing them.</summary>
public sealed class PluginInstallerTests : IDisposable
{
    private readonly PluginsFolder _folder = new();

    [Fact]
    public void Install_FromAFolder_CopiesThePluginUnderItsAssemblyName_AndTheHostLoadsIt()
    {
        var result = PluginInstaller.Install(Repository.FixturePlugin("NetLlm.Fixtures.Good"), _folder.Plugins);

        Assert.Equal("fixture.good", result.Manifest.Id);
        Assert.Equal(Path.Combine(_folder.Plugins, "NetLlm.Fixtures.Good"), result.Folder);
        Assert.Equal(Directory.GetFiles(Repository.FixturePlugin("NetLlm.Fixtures.Good")).Length, result.Files);
        Assert.Empty(result.Replaced);
        Assert.Empty(result.Warnings);
        using var host = PluginHost.Load([_folder.Plugins]);
        Assert.Equal(PluginStatus.Loaded, Assert.Single(host.Plugins).Status);
    }

    [Fact]
    public void Install_FromAPackage_TakesTheLibFolderOfTheNewestCompatibleFramework()
    {
        var package = _folder.Package("Good", new Dictionary<string, string>
        {
            ["netstandard2.0"] = "NetLlm.Fixtures.NoManifest",
            ["net10.0"] = "NetLlm.Fixtures.Good",
            ["net10.0-windows"] = "NetLlm.Fixtures.DuplicateA",
        }, new Dictionary<string, string> { ["content/readme.txt"] = "not installed" });

        var result = PluginInstaller.Install(package, _folder.Plugins);

        Assert.Equal("fixture.good", result.Manifest.Id);
        Assert.Equal(
            Directory.GetFiles(Repository.FixturePlugin("NetLlm.Fixtures.Good")).Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Directory.GetFiles(result.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(Directory.GetDirectories(_folder.Plugins, ".*"));
    }

    [Fact]
    public void Install_RefusesAnIncompatibleContract_BeforeCopyingAnything()
    {
        var error = Assert.Throws<InvalidDataException>(() => PluginInstaller.Install(Repository.FixturePlugin("NetLlm.Fixtures.WrongContract"), _folder.Plugins));

        Assert.Contains("fixture.wrong-contract", error.Message);
        Assert.Contains("declares contract 3.0", error.Message);
        Assert.Contains($"implements contract {ContractInfo.Version}", error.Message);
        Assert.False(Directory.Exists(Path.Combine(_folder.Plugins, "NetLlm.Fixtures.WrongContract")));
    }

    [Fact]
    public void Install_RefusesAnInstalledId_UnlessForced()
    {
        PluginInstaller.Install(Repository.FixturePlugin("NetLlm.Fixtures.DuplicateA"), _folder.Plugins);

        var error = Assert.Throws<InvalidOperationException>(() => PluginInstaller.Install(Repository.FixturePlugin("NetLlm.Fixtures.DuplicateB"), _folder.Plugins));
        var forced = PluginInstaller.Install(Repository.FixturePlugin("NetLlm.Fixtures.DuplicateB"), _folder.Plugins, force: true);

        Assert.Contains("plugin 'fixture.duplicate' is already installed", error.Message);
        Assert.Contains("--force", error.Message);
        Assert.Equal([Path.Combine(_folder.Plugins, "NetLlm.Fixtures.DuplicateA")], forced.Replaced);
        Assert.Equal(["NetLlm.Fixtures.DuplicateB"], Directory.GetDirectories(_folder.Plugins).Select(Path.GetFileName));
    }

    [Fact]
    public void Install_TheSameFolderTwice_NeedsForce_ThenReplacesIt()
    {
        PluginInstaller.Install(Repository.FixturePlugin("NetLlm.Fixtures.Good"), _folder.Plugins);
        var marker = Path.Combine(_folder.Plugins, "NetLlm.Fixtures.Good", "stale.txt");
        File.WriteAllText(marker, "left over");

        Assert.Throws<InvalidOperationException>(() => PluginInstaller.Install(Repository.FixturePlugin("NetLlm.Fixtures.Good"), _folder.Plugins));
        var result = PluginInstaller.Install(Repository.FixturePlugin("NetLlm.Fixtures.Good"), _folder.Plugins, force: true);

        Assert.Equal([result.Folder], result.Replaced);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void Install_WarnsAboutADependencyThatIsNotInstalled()
    {
        var alone = PluginInstaller.Install(Repository.FixturePlugin("NetLlm.Fixtures.Dependent"), _folder.Plugins);
        var elsewhere = PluginInstaller.Install(Repository.FixturePlugin("NetLlm.Fixtures.Dependent"), _folder.Plugins, force: true, availableIds: ["fixture.good"]);

        Assert.Contains("depends on plugin 'fixture.good', which is not installed", Assert.Single(alone.Warnings));
        Assert.Empty(elsewhere.Warnings);
    }

    [Fact]
    public void Install_AFolderWithoutAManifest_FailsNamingTheFolder()
    {
        var source = Repository.FixturePlugin("NetLlm.Fixtures.NoManifest");

        var error = Assert.Throws<InvalidDataException>(() => PluginInstaller.Install(source, _folder.Plugins));

        Assert.StartsWith(source + ": no assembly declares a NetLlm plugin manifest", error.Message);
    }

    [Fact]
    public void Install_RejectsFilesThatAreNotPackages()
    {
        var text = Path.Combine(_folder.Root, "plugin.dll.txt");
        File.WriteAllText(text, "x");
        var corrupt = Path.Combine(_folder.Root, "corrupt.nupkg");
        File.WriteAllText(corrupt, "not a zip");

        Assert.Contains("not a NuGet package (.nupkg) or a folder", Assert.Throws<ArgumentException>(() => PluginInstaller.Install(text, _folder.Plugins)).Message);
        Assert.Contains(corrupt + ": not a NuGet package (not a valid zip file", Assert.Throws<InvalidDataException>(() => PluginInstaller.Install(corrupt, _folder.Plugins)).Message);
        Assert.IsType<FileNotFoundException>(Assert.ThrowsAny<IOException>(() => PluginInstaller.Install(Path.Combine(_folder.Root, "missing.nupkg"), _folder.Plugins)));
    }

    [Fact]
    public void Install_APackageWithoutLibFolder_SaysSo()
    {
        var package = _folder.Package("Empty", new Dictionary<string, string>(), new Dictionary<string, string> { ["content/a.txt"] = "a" });

        var error = Assert.Throws<InvalidDataException>(() => PluginInstaller.Install(package, _folder.Plugins));

        Assert.Contains("the package has no lib/ folder", error.Message);
    }

    [Fact]
    public void Install_APackageEntryEscapingItsFolder_IsRejected()
    {
        var package = _folder.Package("Evil", new Dictionary<string, string> { ["net10.0"] = "NetLlm.Fixtures.Good" }, new Dictionary<string, string> { ["lib/net10.0/../../../escaped.txt"] = "x" });

        var error = Assert.Throws<InvalidDataException>(() => PluginInstaller.Install(package, _folder.Plugins));

        Assert.Contains("points outside the package folder", error.Message);
        Assert.False(Directory.Exists(_folder.Plugins) && Directory.EnumerateFileSystemEntries(_folder.Plugins).Any());
    }

    [Fact]
    public void Remove_DeletesThePluginById_AndNamesItsDependents()
    {
        PluginInstaller.Install(Repository.FixturePlugin("NetLlm.Fixtures.Good"), _folder.Plugins);
        PluginInstaller.Install(Repository.FixturePlugin("NetLlm.Fixtures.Dependent"), _folder.Plugins);

        var result = PluginInstaller.Remove("fixture.good", _folder.Plugins);

        Assert.Equal(Path.Combine(_folder.Plugins, "NetLlm.Fixtures.Good"), result.Folder);
        Assert.Contains("plugin 'fixture.dependent' depends on 'fixture.good'", Assert.Single(result.Warnings));
        Assert.Equal(["NetLlm.Fixtures.Dependent"], Directory.GetDirectories(_folder.Plugins).Select(Path.GetFileName));
    }

    [Fact]
    public void Remove_AnUnknownId_ListsTheInstalledOnes()
    {
        PluginInstaller.Install(Repository.FixturePlugin("NetLlm.Fixtures.Good"), _folder.Plugins);

        var error = Assert.Throws<KeyNotFoundException>(() => PluginInstaller.Remove("fixture.other", _folder.Plugins));

        Assert.Contains("no plugin 'fixture.other'", error.Message);
        Assert.Contains("installed: fixture.good", error.Message);
    }

    [Theory]
    [InlineData("net8.0,net10.0,netstandard2.0,net10.0-windows,net48", "net10.0")]
    [InlineData("netstandard2.0,netstandard2.1", "netstandard2.1")]
    [InlineData("net6.0,netstandard2.1", "net6.0")]
    [InlineData("net99.0,net48,uap10.0", null)]
    public void Framework_IsTheNewestCompatibleOne(string folders, string? expected)
    {
        Assert.Equal(expected, NuGetPackageContent.Choose(folders.Split(',')));
    }

    public void Dispose() => _folder.Dispose();
}
