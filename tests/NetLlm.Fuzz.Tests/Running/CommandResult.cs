namespace NetLlm.Fuzz.Tests.Running;

/// <summary>What a command line printed and returned.</summary>
/// <param name="Exit">Exit code, or null when it did not finish in time.</param>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error.</param>
/// <param name="Escaped">An exception that escaped the command line (in-process runs), or null.</param>
public sealed record CommandResult(int? Exit, string Out, string Error, Exception? Escaped);
