using System.Diagnostics;
using System.Text.RegularExpressions;
using NetLlm.Templates.Tests.Infrastructure;

namespace NetLlm.Templates.Tests;

/// <summary>
/// The expensive part of the template smoke and end-to-end tests, done once for all of them (a collection fixture), in
/// a temporary folder outside the repository and without touching the machine's template or package caches:
/// <list type="number">
/// <item>packs NetLlm.Abstractions, NetLlm.Core, NetLlm.Transformers and NetLlm.Testing from this checkout into a folder feed;</item>
/// <item>installs the template pack from <c>templates/</c> into a private template hive (<c>--debug:custom-hive</c>);</item>
/// <item>instantiates the five templates with that feed in their nuget.config: a decision task whose encoder slot names
///   the encoder of the generated encoder plugin, a prediction task, a baseline for the prediction task (referencing
///   its project), the encoder and a backbone;</item>
/// <item>restores (into a private package folder that falls back to the machine's read-only), builds and tests them
///   as one solution (one <c>dotnet test</c>);</item>
/// <item>packs the five plugins and installs the packages with <c>netllm plugins install</c> into a plugins folder.</item>
/// </list>
/// Set <c>NETLLM_KEEP_SMOKE=1</c> to keep the folder for inspection.
/// </summary>
public sealed partial class SmokeWorkspace : IDisposable
{
    /// <summary>Generated projects, by template short name.</summary>
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        ["netllm-decision-task"] = "Smoke.Link",
        ["netllm-prediction-task"] = "Smoke.Bandwidth",
        ["netllm-baseline"] = "Smoke.Ewma",
        ["netllm-encoder"] = "Smoke.Patches",
        ["netllm-backbone"] = "Smoke.Decoder",
    };

    /// <summary>The task id given to the decision task template.</summary>
    public const string DecisionTaskId = "smoke-link";

    /// <summary>The task id given to the prediction task and baseline templates.</summary>
    public const string TaskId = "smoke-bw";

    /// <summary>The encoder id given to the encoder template and, as the slot's default, to the decision task template.</summary>
    public const string EncoderId = "encoder.smoke-patch";

    /// <summary>The model type given to the backbone template.</summary>
    public const string ModelType = "smoke-decoder";

    private static readonly TimeSpan Long = TimeSpan.FromMinutes(15);
    private readonly List<(string Stage, double Seconds)> _stages = [];

    /// <summary>Runs the whole preparation; any failure surfaces in every test of the class.</summary>
    public SmokeWorkspace()
    {
        Root = Directory.CreateTempSubdirectory("netllm-templates-").FullName;
        Feed = Directory.CreateDirectory(Path.Combine(Root, "feed")).FullName;
        Hive = Path.Combine(Root, "hive");
        Generated = Directory.CreateDirectory(Path.Combine(Root, "generated")).FullName;
        Packages = Directory.CreateDirectory(Path.Combine(Root, "packed-plugins")).FullName;
        PluginsDirectory = Path.Combine(Root, "plugins");
        var clock = Stopwatch.StartNew();
        try
        {
            Stage("pack NetLlm packages", PackNetLlm);
            Stage("install templates", () => InstallOutput = Run(Root, ["new", "install", Repository.Templates, "--debug:custom-hive", Hive]).Stdout);
            Stage("instantiate templates", Instantiate);
            Stage("restore, build and run the generated tests", () => TestOutput = Run(Generated, ["test", "smoke.slnx", "-c", "Release", "-nodeReuse:false"], Restore).Stdout);
            Stage("pack plugins", PackPlugins);
            Stage("netllm plugins install", InstallPlugins);
        }
        catch
        {
            Dispose();
            throw;
        }

        TotalSeconds = clock.Elapsed.TotalSeconds;
    }

    /// <summary>The temporary folder.</summary>
    public string Root { get; }

    /// <summary>Folder feed of the NetLlm packages.</summary>
    public string Feed { get; }

    /// <summary>Private template hive.</summary>
    public string Hive { get; }

    /// <summary>Where the templates were instantiated.</summary>
    public string Generated { get; }

    /// <summary>The plugin packages packed from the generated projects.</summary>
    public string Packages { get; }

    /// <summary>The plugins folder the packages were installed into with <c>netllm plugins install</c>.</summary>
    public string PluginsDirectory { get; }

    /// <summary>What <c>dotnet new install</c> printed.</summary>
    public string InstallOutput { get; private set; } = string.Empty;

    /// <summary>What <c>dotnet test</c> of the generated tests printed.</summary>
    public string TestOutput { get; private set; } = string.Empty;

    /// <summary>Lines <c>netllm plugins install</c> printed, one per package.</summary>
    public List<string> InstallLines { get; } = [];

    /// <summary>Wall time of each stage.</summary>
    public IReadOnlyList<(string Stage, double Seconds)> Stages => _stages;

    /// <summary>Wall time of the whole preparation.</summary>
    public double TotalSeconds { get; }

    /// <summary>Folder of a generated project, by template short name.</summary>
    /// <param name="template">Template short name.</param>
    public string ProjectFolder(string template) => Path.Combine(Generated, Names[template]);

    /// <summary>The plugin project of a generated folder, by template short name.</summary>
    /// <param name="template">Template short name.</param>
    public string ProjectFile(string template) => Path.Combine(ProjectFolder(template), "src", Names[template], Names[template] + ".csproj");

    /// <summary>Passed and failed counts from the <c>dotnet test</c> summary of one generated test assembly.</summary>
    /// <param name="template">Template short name.</param>
    public (int Passed, int Failed) TestCounts(string template)
    {
        var assembly = Regex.Escape(Names[template] + ".Tests.dll");
        var match = Regex.Match(TestOutput, @"Failed:\s+(\d+), Passed:\s+(\d+),.*- " + assembly);
        return match.Success
            ? (int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            : throw new InvalidOperationException($"no test summary for {Names[template]}.Tests in:\n{TestOutput}");
    }

    /// <summary>Deletes the folder unless NETLLM_KEEP_SMOKE=1.</summary>
    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("NETLLM_KEEP_SMOKE") == "1" || !Directory.Exists(Root))
        {
            return;
        }

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

    /// <summary>Environment of restores: a private package folder, so packages packed here never reach the machine's.</summary>
    private Dictionary<string, string> Restore => new() { ["NUGET_PACKAGES"] = Path.Combine(Root, "nuget-packages") };

    private static ProcessResult Run(string directory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        ProcessRunner.DotNet(directory, arguments, Long, environment).EnsureSuccess();

    private void Stage(string name, Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        _stages.Add((name, clock.Elapsed.TotalSeconds));
    }

    /// <summary>
    /// Packs the four libraries with one MSBuild invocation, from the outputs the test project's references already
    /// built (NoBuild), so the checkout's obj/ folders are not restored again.
    /// </summary>
    private void PackNetLlm()
    {
        string[] projects = ["NetLlm.Abstractions", "NetLlm.Core", "NetLlm.Transformers", "NetLlm.Testing"];
        var traversal = Path.Combine(Root, "pack-netllm.proj");
        var items = string.Join("\n", projects.Select(p => $"    <PackProject Include=\"{Repository.CoreProject(p)}\" />"));
        File.WriteAllText(traversal, $"""
            <Project>
              <ItemGroup>
            {items}
              </ItemGroup>
              <Target Name="Pack">
                <MSBuild Projects="@(PackProject)" Targets="Pack" Properties="Configuration={Repository.Configuration};NoBuild=true;PackageOutputPath={Feed}/" BuildInParallel="false" />
              </Target>
            </Project>
            """);
        Run(Root, ["msbuild", traversal, "-t:Pack", "-nologo", "-nodeReuse:false", "-v:m"]);
        var missing = projects.Where(p => Directory.GetFiles(Feed, p + ".*.nupkg").Length == 0).ToList();
        if (missing.Count > 0)
        {
            throw new FileNotFoundException($"packing produced no package for {string.Join(", ", missing)} in {Feed}");
        }
    }

    private void Instantiate()
    {
        var version = Path.GetFileNameWithoutExtension(Directory.GetFiles(Feed, "NetLlm.Abstractions.*.nupkg").Single())["NetLlm.Abstractions.".Length..];
        foreach (var (template, name) in Names)
        {
            List<string> arguments = ["new", template, "-n", name, "-o", Path.Combine(Generated, name), "--NetLlmFeed", Feed, "--NetLlmVersion", version, "--debug:custom-hive", Hive];
            arguments.AddRange(template switch
            {
                "netllm-decision-task" => ["--TaskId", DecisionTaskId, "--PluginId", "task." + DecisionTaskId, "--EncoderId", EncoderId, "--EncoderModality", "series"],
                "netllm-prediction-task" => ["--TaskId", TaskId, "--PluginId", "task." + TaskId],
                "netllm-baseline" => ["--TaskId", TaskId, "--TaskName", Names["netllm-prediction-task"], "--TaskPluginId", "task." + TaskId, "--TaskProject", ProjectFile("netllm-prediction-task"), "--PluginId", $"baselines.{TaskId}.ewma"],
                "netllm-encoder" => ["--EncoderId", EncoderId, "--Modality", "series", "--PluginId", "encoders.smoke"],
                _ => ["--ModelType", ModelType, "--PluginId", "backbone.smoke"],
            });
            Run(Generated, arguments);
        }

        // One solution over the five folders (one restore and one build), and the machine's package folder as a
        // read-only fallback of the private one, so TorchSharp and xunit are not extracted again.
        var projects = Names.Values.SelectMany(n => new[] { $"{n}/src/{n}/{n}.csproj", $"{n}/tests/{n}.Tests/{n}.Tests.csproj" });
        File.WriteAllText(Path.Combine(Generated, "smoke.slnx"), "<Solution>\n" + string.Concat(projects.Select(p => $"  <Project Path=\"{p}\" />\n")) + "</Solution>\n");
        var machinePackages = Run(Root, ["nuget", "locals", "global-packages", "--list"]).Stdout;
        var folder = GlobalPackagesLine().Match(machinePackages);
        if (!folder.Success)
        {
            throw new InvalidOperationException("`dotnet nuget locals global-packages --list` printed no folder: " + machinePackages);
        }

        File.WriteAllText(Path.Combine(Generated, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <fallbackPackageFolders>
                <add key="machine" value="{folder.Groups[1].Value.Trim()}" />
              </fallbackPackageFolders>
            </configuration>
            """);
    }

    private void PackPlugins() =>
        Run(Generated, ["pack", "smoke.slnx", "-c", "Release", "--no-build", "-o", Packages, "-nodeReuse:false"], Restore);

    private void InstallPlugins()
    {
        foreach (var package in Directory.GetFiles(Packages, "*.nupkg").Order(StringComparer.Ordinal))
        {
            var result = ProcessRunner.Netllm(Root, ["plugins", "install", package, "--plugins-dir", PluginsDirectory]).EnsureSuccess();
            InstallLines.Add(result.Stdout.Trim());
        }
    }

    [GeneratedRegex(@"global-packages:\s*(.+)")]
    private static partial Regex GlobalPackagesLine();
}
