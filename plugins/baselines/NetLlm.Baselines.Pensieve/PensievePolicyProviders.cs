using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Baselines.Pensieve;

/// <summary>
/// Base of the Pensieve-actor providers: loads <c>abr/models/&lt;folder&gt;/actor.safetensors</c> under the data root
/// (or the file given by option <c>actor</c>) and samples with the run's seed unless option <c>argmax</c> is set.
/// </summary>
public abstract class PensievePolicyProvider : IPolicyProvider<AbrObservation, int, PensieveOptions>
{
    /// <inheritdoc />
    public abstract string Id { get; }

    /// <summary>Model folder under <c>abr/models</c>.</summary>
    public abstract string ModelFolder { get; }

    /// <inheritdoc />
    public string TaskId => "abr";

    /// <inheritdoc />
    public abstract string Description { get; }

    /// <summary>The default actor file, relative to the data root.</summary>
    public string DefaultActor => $"abr/models/{ModelFolder}/actor.safetensors";

    /// <inheritdoc />
    public IReadOnlyList<string> RequiredData => [DefaultActor];

    /// <summary>The weights file this provider reads with <paramref name="options"/>.</summary>
    /// <param name="context">Data root for the default file and relative paths.</param>
    /// <param name="options">Options (<c>actor</c>).</param>
    public string ActorPath(PolicyContext context, PensieveOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Actor is { Length: > 0 } given)
        {
            return context.Task.ResolvePath(given, "option --actor");
        }

        if (context.DataRoot is null)
        {
            throw new ArgumentException($"{Id} needs its weights: give a data root holding {DefaultActor}, or option --actor FILE");
        }

        return Path.Combine(context.DataRoot, DefaultActor);
    }

    /// <inheritdoc />
    public IPolicy<AbrObservation, int> Create(PolicyContext context, PensieveOptions options)
    {
        var actor = PensieveActor.Load(ActorPath(context, options));
        return new PensievePolicy(Id, actor, context.Seed, options.Argmax);
    }
}

/// <summary>GENET (Pensieve trained with Genet's curriculum), <c>abr.genet</c>.</summary>
public sealed class GenetPolicyProvider : PensievePolicyProvider
{
    /// <inheritdoc />
    public override string Id => "abr.genet";

    /// <inheritdoc />
    public override string ModelFolder => "genet";

    /// <inheritdoc />
    public override string Description => "GENET: Pensieve actor trained with Genet's curriculum (sampled actions; --argmax for greedy)";
}

/// <summary>UDR-1 (Pensieve with uniform domain randomisation), <c>abr.udr-1</c>.</summary>
public sealed class Udr1PolicyProvider : PensievePolicyProvider
{
    /// <inheritdoc />
    public override string Id => "abr.udr-1";

    /// <inheritdoc />
    public override string ModelFolder => "udr_1";

    /// <inheritdoc />
    public override string Description => "UDR-1: Pensieve actor trained with uniform domain randomisation (setting 1)";
}

/// <summary>UDR-2, <c>abr.udr-2</c>.</summary>
public sealed class Udr2PolicyProvider : PensievePolicyProvider
{
    /// <inheritdoc />
    public override string Id => "abr.udr-2";

    /// <inheritdoc />
    public override string ModelFolder => "udr_2";

    /// <inheritdoc />
    public override string Description => "UDR-2: Pensieve actor trained with uniform domain randomisation (setting 2)";
}

/// <summary>UDR-3, <c>abr.udr-3</c>.</summary>
public sealed class Udr3PolicyProvider : PensievePolicyProvider
{
    /// <inheritdoc />
    public override string Id => "abr.udr-3";

    /// <inheritdoc />
    public override string ModelFolder => "udr_3";

    /// <inheritdoc />
    public override string Description => "UDR-3: Pensieve actor trained with uniform domain randomisation (setting 3)";
}

/// <summary>UDR-real, <c>abr.udr-real</c>.</summary>
public sealed class UdrRealPolicyProvider : PensievePolicyProvider
{
    /// <inheritdoc />
    public override string Id => "abr.udr-real";

    /// <inheritdoc />
    public override string ModelFolder => "udr_real";

    /// <inheritdoc />
    public override string Description => "UDR-real: Pensieve actor trained with domain randomisation over real traces";
}
