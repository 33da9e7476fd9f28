using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Baselines.Abr;

/// <summary>
/// Base of the Pensieve-actor providers: loads <c>abr/models/&lt;folder&gt;/actor.safetensors</c> under the data root
/// (or the file given by option <c>actor</c>) and samples with the request's seed unless option <c>argmax</c> is set.
/// </summary>
public abstract class PensievePolicyProvider : ILegacyPolicyProvider
{
    /// <inheritdoc />
    public abstract string Id { get; }

    /// <summary>Model folder under <c>abr/models</c>.</summary>
    public abstract string ModelFolder { get; }

    /// <inheritdoc />
    public string TaskId => "abr";

    /// <inheritdoc />
    public abstract string Description { get; }

    /// <inheritdoc />
    public Type ObservationType => typeof(AbrObservation);

    /// <inheritdoc />
    public Type ActionType => typeof(int);

    /// <summary>The weights path this provider reads for <paramref name="request"/>.</summary>
    /// <param name="request">The request.</param>
    public string ActorPath(PolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Options.TryGetValue("actor", out var explicitPath) && explicitPath.Length > 0)
        {
            return explicitPath;
        }

        if (request.DataRoot is null)
        {
            throw new ArgumentException($"{Id} needs its weights: give a data root holding abr/models/{ModelFolder}/actor.safetensors, or option --actor FILE");
        }

        return Path.Combine(request.DataRoot, "abr", "models", ModelFolder, "actor.safetensors");
    }

    /// <inheritdoc />
    public object Create(PolicyRequest request)
    {
        var actor = PensieveActor.Load(ActorPath(request));
        return new PensievePolicy(Id, actor, request.Seed, request.Flag("argmax"));
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
