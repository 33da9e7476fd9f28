using System.Text.RegularExpressions;
using NetLlm.Templates.Tests.Infrastructure;

namespace NetLlm.Templates.Tests;

/// <summary>Checks of the template sources themselves (no instantiation): they stay on the current contract and in step with the repository.</summary>
public sealed partial class TemplateContentTests
{
    private static readonly string Content = Path.Combine(Repository.Templates, "content");

    public static TheoryData<string> Templates => new(Folders());

    [Fact]
    public void Pack_HoldsTheFiveTemplates()
    {
        Assert.Equal(["backbone", "baseline", "decision-task", "encoder", "prediction-task"], Folders());
    }

    private static string[] Folders() => [.. Directory.GetDirectories(Content).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Templates))]
    public void ManifestTests_KnowTheIdsOfEveryShippedPlugin(string template)
    {
        var shipped = Directory.GetFiles(Path.Combine(Repository.Root, "plugins"), "PluginManifest.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => ManifestId().Match(File.ReadAllText(f)).Groups[1].Value)
            .Order(StringComparer.Ordinal)
            .ToList();
        var tests = Directory.GetFiles(Path.Combine(Content, template, "tests"), "*.cs", SearchOption.AllDirectories)
            .Select(File.ReadAllText)
            .Single(text => text.Contains("HasValidManifest", StringComparison.Ordinal));

        var listed = ShippedId().Matches(tests).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(shipped, listed);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Sources_UseNoContract10Type_AndTheReadmeLinksTheAuthoringGuide(string template)
    {
        string[] removed = ["ITaskDefinition", "TaskRequest", "TaskReport", "TaskArguments", "TaskOptionSpec", "ILegacy", "PolicyRequest", "SupervisedTaskVerbs", "HeadDecoding", "EncoderSpec"];
        var sources = Directory.GetFiles(Path.Combine(Content, template), "*.cs", SearchOption.AllDirectories);

        Assert.All(sources, file => Assert.DoesNotContain(removed, name => File.ReadAllText(file).Contains(name, StringComparison.Ordinal)));
        Assert.Contains("docs/plugin-authoring.md", File.ReadAllText(Path.Combine(Content, template, "README.md")));
    }

    [GeneratedRegex("NetLlmPlugin\\(\"([^\"]+)\"")]
    private static partial Regex ManifestId();

    [GeneratedRegex("\"((?:backbone|baselines|encoders|task|testbeds)\\.(?:gpt2|llama|llava|mistral|opt|abr|cjs|vp|graph|standard|vision)(?:\\.[a-z0-9-]+)?)\"")]
    private static partial Regex ShippedId();
}
