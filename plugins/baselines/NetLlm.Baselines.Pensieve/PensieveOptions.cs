using NetLlm.Abstractions.Options;

namespace NetLlm.Baselines.Pensieve;

/// <summary>Options of the Pensieve-actor policies (<c>abr.genet</c>, <c>abr.udr-*</c>).</summary>
public sealed record PensieveOptions
{
    /// <summary>Take the most likely action instead of sampling.</summary>
    [Option("take the most likely action instead of sampling (adapted runs and sampling baselines)", Verbs = VerbScope.Test | VerbScope.Collect)]
    public bool Argmax { get; init; }

    /// <summary>Actor weights file instead of the policy's own under the data root.</summary>
    [Option("actor.safetensors for abr.genet / abr.udr-* (default: <data>/abr/models/<name>/actor.safetensors); relative paths are looked up under the data root first", Verbs = VerbScope.Test | VerbScope.Collect)]
    public string? Actor { get; init; }
}
