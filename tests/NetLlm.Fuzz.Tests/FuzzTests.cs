using NetLlm.Fuzz.Tests.Running;
using Xunit.Abstractions;

namespace NetLlm.Fuzz.Tests;

/// <summary>
/// Feeds seeded damaged copies of every input format to the command line and requires each to be refused with a
/// documented exit code and no stack trace, or accepted with a sound result: no crash, no hang, no silent wrong
/// number. The default test run does 6 cases per format; <c>.ci/fuzz</c> runs a few hundred (see docs/fuzzing.md).
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class FuzzTests
{
    private readonly FuzzSession _session;
    private readonly ITestOutputHelper _output;

    public FuzzTests(FuzzSession session, ITestOutputHelper output)
    {
        _session = session;
        _output = output;
    }

    public static readonly string[] Names =
    [
        "hf-config", "safetensors-weights", "npy-inputs", "peft-config", "peft-weights", "abr-trace", "abr-video",
        "cjs-tpch", "vp-csv", "netllm-json", "experience-pool", "run-json", "plugin-folder",
    ];

    public static TheoryData<string> FormatNames => new(Names);

    [Fact]
    public void EveryFormatOfTheCatalog_IsATestCase()
    {
        Assert.Equal(_session.Formats.Select(f => f.Name).Order(StringComparer.Ordinal), Names.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(FormatNames))]
    public void DamagedInput_IsRefusedOrSound_NeverACrashHangOrSilentWrongNumber(string format)
    {
        var (cleanFailure, outcomes) = _session.Run(format);

        Assert.True(cleanFailure is null, $"{format}: {cleanFailure}");
        foreach (var o in outcomes)
        {
            _output.WriteLine($"#{o.Index} {o.Kind} exit {o.Exit?.ToString() ?? "-"} {o.Seconds:F2}s — {o.Damage} — {o.Message}");
        }

        var bad = outcomes.Where(o => o.Kind is CaseKind.Crash or CaseKind.Hang or CaseKind.SilentWrong).ToList();
        Assert.True(bad.Count == 0, $"{format} (seed {_session.Settings.Seed}): " + string.Join("\n", bad.Select(o => $"#{o.Index} {o.Kind}: {o.Damage} — {o.Message}")));
        Assert.Equal(_session.Settings.Cases, outcomes.Count);
    }
}

/// <summary>The suite's cases run one at a time (the in-process runner owns the console).</summary>
[CollectionDefinition(Name)]
public sealed class FuzzCollection : ICollectionFixture<FuzzSession>
{
    public const string Name = "fuzz";
}
