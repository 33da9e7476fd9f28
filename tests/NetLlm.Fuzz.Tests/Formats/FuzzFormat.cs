using NetLlm.Fuzz.Tests.Running;

namespace NetLlm.Fuzz.Tests.Formats;

/// <summary>
/// One input format and the command line that reads it: a clean workspace per case, the file to damage, the damage,
/// the command, and the check an accepted result must pass (null when it passes, else what is wrong).
/// </summary>
public sealed class FuzzFormat
{
    /// <summary>Short name (used in reports and to derive each case's seed).</summary>
    public required string Name { get; init; }

    /// <summary>What reads it.</summary>
    public required string Reader { get; init; }

    /// <summary>Fills the case folder with a clean copy of the inputs (the generator may choose among them); returns the file to damage.</summary>
    public required Func<string, Random, string> Prepare { get; init; }

    /// <summary>Damages the bytes of the file.</summary>
    public required Func<byte[], Random, (byte[] Bytes, string Description)> Mutate { get; init; }

    /// <summary>Called after the damaged file is written (for example to place copies of it), or null.</summary>
    public Action<string, string>? AfterDamage { get; init; }

    /// <summary>The command line that reads the case folder.</summary>
    public required Func<string, IReadOnlyList<string>> Command { get; init; }

    /// <summary>Checks an accepted result: null when it is sound, else what is wrong with it.</summary>
    public required Func<string, CommandResult, string?> Check { get; init; }

    /// <summary>
    /// Whether the command must run as its own process: plugin folders are chosen at start-up, which an in-process
    /// run over an already loaded host cannot repeat.
    /// </summary>
    public bool RunsAsProcess { get; init; }

    /// <summary>Time limit of one case.</summary>
    public TimeSpan Limit { get; init; } = TimeSpan.FromSeconds(60);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
