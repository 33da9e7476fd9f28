using NetLlm.Abstractions.Options;
using NetLlm.Tasks.JobScheduling;

namespace NetLlm.Baselines.Decima;

/// <summary>Options of <c>cjs.decima</c>.</summary>
public sealed record DecimaOptions
{
    private const VerbScope Running = VerbScope.Collect | VerbScope.Test | VerbScope.Bench;

    /// <summary>Pick the most likely stage and executor count instead of sampling (the original samples).</summary>
    [Option("pick the most likely stage and executor count instead of sampling", Verbs = Running)]
    public bool Argmax { get; init; }

    /// <summary>Weights file: a path under the data root or an absolute one.</summary>
    [Option("Decima weights, under the data root or absolute (a .pt file needs --allow-pickle)", Verbs = Running)]
    public string DecimaWeights { get; init; } = CjsTask.DecimaWeights;

    /// <summary>Allow reading the weights from a torch.save (.pt) checkpoint.</summary>
    [Option("allow reading Decima weights from a torch.save (.pt) file", Verbs = Running)]
    public bool AllowPickle { get; init; }
}
