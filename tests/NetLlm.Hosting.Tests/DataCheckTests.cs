using System.Text.Json.Nodes;
using NetLlm.Abstractions.Plugins;
using NetLlm.Abstractions.Tasks;
using NetLlm.Hosting.Data;

namespace NetLlm.Hosting.Tests;

public sealed class DataCheckTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("netllm-data-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void ReportsMissingIncompleteInvalidAndOk()
    {
        Directory.CreateDirectory(Path.Combine(_root, "few"));
        File.WriteAllText(Path.Combine(_root, "few", "a.txt"), "1");
        Directory.CreateDirectory(Path.Combine(_root, "bad"));
        File.WriteAllText(Path.Combine(_root, "bad", "a.txt"), "x");
        Directory.CreateDirectory(Path.Combine(_root, "good"));
        File.WriteAllText(Path.Combine(_root, "good", "a.txt"), "1");
        File.WriteAllText(Path.Combine(_root, "good", "b.txt"), "2");
        static string? Numeric(string file) => int.TryParse(File.ReadAllText(file), out _) ? null : $"{file}: not a number";
        var task = new FakeTask(
        [
            new DataRequirement("absent", "*.txt", 1, true, "get it from X"),
            new DataRequirement("few", "*.txt", 2, true, "get more from Y"),
            new DataRequirement("bad", "*.txt", 1, true, "Z", Numeric),
            new DataRequirement("good", "*.txt", 2, true, "W", Numeric),
            new DataRequirement("optional.bin", null, 1, false, "optional weights"),
        ]);

        var items = DataCheck.Run(_root, [task]);

        Assert.Equal(["missing", "incomplete", "invalid", "ok", "missing"], items.Select(i => i.Status));
        Assert.Equal("get it from X", items[0].Detail);
        Assert.Equal(1, items[1].Found);
        Assert.Contains("not a number", items[2].Detail);
        Assert.Equal(2, items[3].Found);
        Assert.False(items[4].Required);
    }

    private sealed class FakeTask(IReadOnlyList<DataRequirement> requirements) : ITaskDefinition
    {
        public string Id => "fake";

        public string Title => "Fake";

        public TaskKind Kind => TaskKind.Decision;

        public MetricInfo Metric => new("m", string.Empty, true, "none");

        public IReadOnlyList<TaskSetting> Settings => [];

        public IReadOnlyList<TaskOptionSpec> Options => [];

        public IReadOnlyList<string> Baselines => [];

        public IReadOnlyList<DataRequirement> DataRequirements => requirements;

        public IReadOnlyList<TaskVerb> Verbs => [];

        public TaskReport Run(TaskRequest request) => new() { Json = new JsonObject() };
    }
}
