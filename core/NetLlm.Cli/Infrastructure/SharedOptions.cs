using NetLlm.Abstractions.Tasks;

namespace NetLlm.Cli.Infrastructure;

/// <summary>Options the shared machinery (NetLlm.Core) declares for the task verbs.</summary>
public static class SharedOptions
{
    /// <summary>The options, with the verbs they apply to.</summary>
    public static IReadOnlyList<TaskOptionSpec> ForVerbs { get; } = [];
}
