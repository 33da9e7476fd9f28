using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;

namespace NetLlm.Cli.Infrastructure;

/// <summary>Options the shared machinery (NetLlm.Core) declares for the task verbs.</summary>
public static class SharedOptions
{
    /// <summary>The options, with the verbs they apply to.</summary>
    public static IReadOnlyList<TaskOptionSpec> ForVerbs { get; } = [.. AdaptationOptions.Specs, .. DecisionTaskVerbs.TestSpecs];
}
