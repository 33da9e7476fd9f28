using NetLlm.Hosting.Configuration;

namespace NetLlm.Hosting.Tests;

public sealed class ConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("netllm-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string json)
    {
        var path = Path.Combine(_dir, "netllm.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void ValidFile_BindsTypedOptions_AndCommandLineWins()
    {
        var path = Write("""{ "dataRoot": "/data", "seed": 7, "threads": 1, "progress": "plain", "tasks": { "abr": { "video": "v2" } } }""");
        var options = NetLlmConfiguration.Load(
            path, new Dictionary<string, string?> { ["seed"] = "9", ["threads"] = null }, environment: _ => null);

        Assert.Equal("/data", options.DataRoot);
        Assert.Equal(9, options.Seed);
        Assert.Equal(1, options.Threads);
        Assert.Equal("plain", options.Progress);
        Assert.Equal("v2", options.Tasks["abr"]["video"]);
    }

    [Fact]
    public void DataRootVariable_OverridesTheFile_AndCommandLineOverridesBoth()
    {
        var path = Write("""{ "dataRoot": "/from-file" }""");
        Func<string, string?> env = name => name == "NETLLM_DATA_ROOT" ? "/from-env" : null;

        Assert.Equal("/from-env", NetLlmConfiguration.Load(path, environment: env).DataRoot);
        Assert.Equal(
            "/from-cli",
            NetLlmConfiguration.Load(path, new Dictionary<string, string?> { ["dataRoot"] = "/from-cli" }, env).DataRoot);
    }

    [Fact]
    public void MalformedJson_NamesTheFileAndLine()
    {
        var path = Write("{\n  \"seed\": 1,\n  \"threads\": ,\n}");
        var e = Assert.Throws<ConfigurationException>(() => NetLlmConfiguration.Load(path));
        Assert.Contains(path + " line 3", e.Message);
    }

    [Fact]
    public void UnknownKey_IsNamedWithTheAcceptedKeys()
    {
        var path = Write("""{ "dataroot2": "/x" }""");
        var e = Assert.Throws<ConfigurationException>(() => NetLlmConfiguration.Load(path));
        Assert.Contains("unknown key 'dataroot2'", e.Message);
        Assert.Contains("dataRoot, pluginsDir, seed, threads, progress, tasks", e.Message);
    }

    [Fact]
    public void NonIntegerSeed_NamesTheKey()
    {
        var path = Write("""{ "seed": "abc" }""");
        var e = Assert.Throws<ConfigurationException>(() => NetLlmConfiguration.Load(path));
        Assert.Contains("key 'seed'", e.Message);
        Assert.Contains("not an integer", e.Message);
    }

    [Fact]
    public void InvalidProgressValue_ListsTheAcceptedValues()
    {
        var path = Write("""{ "progress": "fancy" }""");
        var e = Assert.Throws<ConfigurationException>(() => NetLlmConfiguration.Load(path));
        Assert.Contains("'fancy' is not one of auto, bar, plain, none", e.Message);
    }

    [Fact]
    public void NegativeThreadsOnTheCommandLine_IsRejected()
    {
        var e = Assert.Throws<ConfigurationException>(() => NetLlmConfiguration.Load(null, new Dictionary<string, string?> { ["threads"] = "-2" }));
        Assert.Contains("key 'threads'", e.Message);
    }

    [Fact]
    public void MoreThreadsThanCores_IsRejectedNamingTheCoreCount()
    {
        var cores = Environment.ProcessorCount;
        var e = Assert.Throws<ConfigurationException>(() => NetLlmConfiguration.Load(null, new Dictionary<string, string?> { ["threads"] = (cores + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        Assert.Contains($"must be between 0 (libtorch default) and {cores}", e.Message);
        var path = Write("""{ "threads": 1024 }""");
        Assert.Contains("key 'threads': 1024", Assert.Throws<ConfigurationException>(() => NetLlmConfiguration.Load(path, new Dictionary<string, string?>(), environment: _ => null)).Message);
        Assert.Equal(cores, NetLlmConfiguration.Load(null, new Dictionary<string, string?> { ["threads"] = cores.ToString(System.Globalization.CultureInfo.InvariantCulture) }).Threads);
    }
}
