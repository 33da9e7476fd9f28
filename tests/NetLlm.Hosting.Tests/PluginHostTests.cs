using NetLlm.Abstractions;
using NetLlm.Abstractions.Plugins;
using NetLlm.Hosting.Plugins;

namespace NetLlm.Hosting.Tests;

public sealed class PluginHostTests
{
    [Fact]
    public void GoodPlugin_ExportedWithMefAttribute_IsLoaded()
    {
        using var fixtures = new FixturePlugins("NetLlm.Fixtures.Good");
        using var host = PluginHost.Load([fixtures.Root]);

        var record = Assert.Single(host.Plugins);
        Assert.Equal(PluginStatus.Loaded, record.Status);
        Assert.Null(record.Error);
        Assert.Equal("fixture.good", record.Manifest!.Id);
        Assert.Equal(["encoder:fixture.good-encoder"], record.Components);
        Assert.Equal("fixture.good-encoder", host.Registry.GetEncoder("fixture.good-encoder").Id);
    }

    [Theory]
    [InlineData("\"type\": \"project\"", "\"type\": []", "].type must be a string")]
    [InlineData("\"serviceable\": false", "\"serviceable\": null", ".serviceable must be a boolean")]
    [InlineData("\"sha512\": \"\"", "\"sha512\": true", ".sha512 must be a string")]
    [InlineData("\"name\": \".NETCoreApp,Version=v10.0\",", "", "$.runtimeTarget.name is missing")]
    [InlineData("\"runtime\": {", "\"runtime\": 1, \"x\": {", ".runtime must be a JSON object")]
    [InlineData("{", "[", "not valid JSON")]
    public void DamagedDepsFile_FailsThatPluginNamingFileAndKey_InsteadOfAbortingTheProcess(string what, string with, string message)
    {
        // The runtime's native resolver aborted the whole process (exit 134, std::logic_error) on a type of [].
        using var fixtures = new FixturePlugins("NetLlm.Fixtures.Good", "NetLlm.Fixtures.NoExports");
        var deps = Path.ChangeExtension(fixtures.PathOf("NetLlm.Fixtures.Good"), ".deps.json");
        var text = File.ReadAllText(deps);
        var at = text.IndexOf(what, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{what}' not in {deps}");
        File.WriteAllText(deps, text[..at] + with + text[(at + what.Length)..]);

        using var host = PluginHost.Load([fixtures.Root]);

        var good = host.Plugins.Single(p => p.Manifest!.Id == "fixture.good");
        Assert.Equal(PluginStatus.Failed, good.Status);
        Assert.Contains(deps, good.Error, StringComparison.Ordinal);
        Assert.Contains(message, good.Error, StringComparison.Ordinal);
        var other = host.Plugins.Single(p => p.Manifest!.Id != "fixture.good");
        Assert.Contains("no exports found", other.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void DependentPlugin_SeesTheTypesOfItsDependency()
    {
        using var fixtures = new FixturePlugins("NetLlm.Fixtures.Good", "NetLlm.Fixtures.Dependent");
        using var host = PluginHost.Load([fixtures.Root]);

        Assert.All(host.Plugins, p => Assert.Equal(PluginStatus.Loaded, p.Status));
        var good = host.Registry.GetEncoder("fixture.good-encoder").Description;
        var dependent = host.Registry.GetEncoder("fixture.dependent-encoder").Description;
        Assert.StartsWith("NetLlm.Fixtures.Good@", good);
        Assert.Equal(good, dependent);
        var goodRecord = host.Plugins.Single(p => p.Manifest!.Id == "fixture.good");
        Assert.EndsWith("@" + goodRecord.LoadContext!.Name, good);
    }

    [Fact]
    public void PluginWithNoExports_FailsNamingTheAssembly()
    {
        using var fixtures = new FixturePlugins("NetLlm.Fixtures.NoExports");
        using var host = PluginHost.Load([fixtures.Root]);

        var record = Assert.Single(host.Plugins);
        Assert.Equal(PluginStatus.Failed, record.Status);
        Assert.Contains(fixtures.PathOf("NetLlm.Fixtures.NoExports"), record.Error);
        Assert.Contains("no exports found in NetLlm.Fixtures.NoExports.dll", record.Error);
    }

    [Fact]
    public void PluginWhoseConstructorThrows_FailsWithTheReason()
    {
        using var fixtures = new FixturePlugins("NetLlm.Fixtures.ThrowingConstructor");
        using var host = PluginHost.Load([fixtures.Root]);

        var record = Assert.Single(host.Plugins);
        Assert.Equal(PluginStatus.Failed, record.Status);
        Assert.Contains(fixtures.PathOf("NetLlm.Fixtures.ThrowingConstructor"), record.Error);
        Assert.Contains("fixture constructor failure: weights folder missing", record.Error);
        Assert.Empty(host.Registry.Encoders);
    }

    [Fact]
    public void PluginBuiltAgainstAnotherContract_IsRefusedSayingWhichVersionIsNeeded()
    {
        using var fixtures = new FixturePlugins("NetLlm.Fixtures.WrongContract");
        using var host = PluginHost.Load([fixtures.Root]);

        var record = Assert.Single(host.Plugins);
        Assert.Equal(PluginStatus.Failed, record.Status);
        Assert.Contains("declares contract 3.0", record.Error);
        Assert.Contains($"implements contract {ContractInfo.Version}", record.Error);
        Assert.Null(record.Assembly);
    }

    [Fact]
    public void TwoPluginsWithOneId_TheFirstIsLoadedAndTheOtherIsReportedWithBothPaths()
    {
        using var fixtures = new FixturePlugins("NetLlm.Fixtures.DuplicateA", "NetLlm.Fixtures.DuplicateB");
        using var host = PluginHost.Load([fixtures.Root]);

        Assert.Equal(2, host.Plugins.Count);
        var a = host.Plugins.Single(p => p.AssemblyPath == fixtures.PathOf("NetLlm.Fixtures.DuplicateA"));
        var b = host.Plugins.Single(p => p.AssemblyPath == fixtures.PathOf("NetLlm.Fixtures.DuplicateB"));
        Assert.Equal(PluginStatus.Loaded, a.Status);
        Assert.Equal(PluginStatus.Failed, b.Status);
        Assert.Contains("plugin id 'fixture.duplicate' is declared by 2 assemblies", b.Error);
        Assert.Contains($"{a.AssemblyPath} is loaded and this copy is not", b.Error);
        Assert.Contains("fixture.duplicate-A", host.Registry.Encoders.Select(e => e.Id));
    }

    [Fact]
    public void ABrokenCopyWhoseManifestStillReads_DoesNotDisableTheWorkingOne()
    {
        using var fixtures = new FixturePlugins("NetLlm.Fixtures.DuplicateB");

        // A copy that sorts first, whose manifest reads but which cannot load (its dependency manifest is damaged).
        var broken = Path.Combine(fixtures.Root, "Aaa.Broken");
        Directory.CreateDirectory(broken);
        File.Copy(fixtures.PathOf("NetLlm.Fixtures.DuplicateB"), Path.Combine(broken, "Aaa.Broken.dll"));
        File.WriteAllText(Path.Combine(broken, "Aaa.Broken.deps.json"), "{ damaged");
        using var host = PluginHost.Load([fixtures.Root]);

        var genuine = host.Plugins.Single(p => p.AssemblyPath == fixtures.PathOf("NetLlm.Fixtures.DuplicateB"));
        var copy = host.Plugins.Single(p => p.AssemblyPath == Path.Combine(broken, "Aaa.Broken.dll"));
        Assert.Equal(PluginStatus.Loaded, genuine.Status);
        Assert.Equal(PluginStatus.Failed, copy.Status);
        Assert.Contains($"{genuine.AssemblyPath} is loaded and this copy is not (this copy failed:", copy.Error);
        Assert.Contains("fixture.duplicate-B", host.Registry.Encoders.Select(e => e.Id));
    }

    [Fact]
    public void MissingDependency_FailsNamingTheDependency()
    {
        using var fixtures = new FixturePlugins("NetLlm.Fixtures.MissingDependency", "NetLlm.Fixtures.Dependent");
        using var host = PluginHost.Load([fixtures.Root]);

        var orphan = host.Plugins.Single(p => p.Manifest!.Id == "fixture.orphan");
        Assert.Equal(PluginStatus.Failed, orphan.Status);
        Assert.Contains("depends on plugin 'fixture.not-installed', which is not installed", orphan.Error);
        var dependent = host.Plugins.Single(p => p.Manifest!.Id == "fixture.dependent");
        Assert.Contains("depends on plugin 'fixture.good', which is not installed", dependent.Error);
    }

    [Fact]
    public void AssemblyWithoutManifest_Fails()
    {
        using var fixtures = new FixturePlugins("NetLlm.Fixtures.NoManifest");
        using var host = PluginHost.Load([fixtures.Root]);

        var record = Assert.Single(host.Plugins);
        Assert.Contains("no plugin manifest", record.Error);
    }

    [Fact]
    public void FolderWithoutItsAssembly_AndANonAssembly_AreReported()
    {
        using var fixtures = new FixturePlugins();
        Directory.CreateDirectory(Path.Combine(fixtures.Root, "Empty"));
        var garbage = Path.Combine(fixtures.Root, "Garbage");
        Directory.CreateDirectory(garbage);
        File.WriteAllText(Path.Combine(garbage, "Garbage.dll"), "not a portable executable");
        using var host = PluginHost.Load([fixtures.Root]);

        Assert.Equal(2, host.Plugins.Count);
        Assert.Contains("has no Empty.dll", host.Plugins.Single(p => p.AssemblyPath.EndsWith("Empty.dll", StringComparison.Ordinal)).Error);
        Assert.Contains("cannot read the assembly", host.Plugins.Single(p => p.AssemblyPath.EndsWith("Garbage.dll", StringComparison.Ordinal)).Error);
    }

    [Fact]
    public void BadPlugins_NeverStopGoodOnesFromLoading()
    {
        using var fixtures = new FixturePlugins(
            "NetLlm.Fixtures.Good", "NetLlm.Fixtures.Dependent", "NetLlm.Fixtures.NoExports", "NetLlm.Fixtures.ThrowingConstructor",
            "NetLlm.Fixtures.WrongContract", "NetLlm.Fixtures.DuplicateA", "NetLlm.Fixtures.DuplicateB",
            "NetLlm.Fixtures.MissingDependency", "NetLlm.Fixtures.NoManifest");
        using var host = PluginHost.Load([fixtures.Root]);

        Assert.Equal(9, host.Plugins.Count);
        Assert.Equal(["fixture.dependent", "fixture.duplicate", "fixture.good"], host.Plugins.Where(p => p.Status == PluginStatus.Loaded).Select(p => p.Manifest!.Id).Order(StringComparer.Ordinal));
        Assert.Equal(["fixture.dependent-encoder", "fixture.duplicate-A", "fixture.good-encoder"], host.Registry.Encoders.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.All(host.Plugins.Where(p => p.Status == PluginStatus.Failed), p => Assert.StartsWith(p.AssemblyPath + ": ", p.Error));
    }

    [Fact]
    public void ContractVersion_IsTheSharedLibrariesAssemblyVersion()
    {
        foreach (var assembly in new[] { typeof(ContractInfo).Assembly, typeof(NetLlm.Core.Plugins.PluginRegistry).Assembly, typeof(NetLlm.Transformers.Config.HfConfigReader).Assembly })
        {
            var v = assembly.GetName().Version!;
            Assert.Equal(ContractInfo.Version, $"{v.Major}.{v.Minor}");
        }
    }

    [Fact]
    public void ContractCheck_RefusesAPluginBuiltAgainstAnotherMajorOfASharedLibrary()
    {
        var manifest = new PluginManifest("x.y", PluginKind.Encoder, "1.0.0", ContractInfo.Version, [], null, new Dictionary<string, string> { ["NetLlm.Abstractions"] = ContractInfo.Version, ["NetLlm.Core"] = "1.0" });
        var problem = ContractCheck.Problem(manifest);
        Assert.NotNull(problem);
        Assert.Contains("built against NetLlm.Core 1.0", problem);
        Assert.Null(ContractCheck.Problem(manifest with { SharedReferences = new Dictionary<string, string> { ["NetLlm.Core"] = ContractInfo.Version } }));
    }

    [Fact]
    public void ManifestReader_ReadsEveryFieldWithoutLoading()
    {
        using var fixtures = new FixturePlugins("NetLlm.Fixtures.Dependent", "NetLlm.Fixtures.WrongContract");
        var dependent = ManifestReader.Read(fixtures.PathOf("NetLlm.Fixtures.Dependent"))!;
        Assert.Equal("fixture.dependent", dependent.Id);
        Assert.Equal("encoder", dependent.KindName);
        Assert.Equal("0.1.0", dependent.Version);
        Assert.Equal(ContractInfo.Version, dependent.ContractVersion);
        Assert.Equal(ContractInfo.Version, dependent.SharedReferences!["NetLlm.Abstractions"]);
        Assert.Equal(["fixture.good"], dependent.DependsOn);
        Assert.Equal("3.0", ManifestReader.Read(fixtures.PathOf("NetLlm.Fixtures.WrongContract"))!.ContractVersion);
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "NetLlm.Fixtures.WrongContract");
    }
}
