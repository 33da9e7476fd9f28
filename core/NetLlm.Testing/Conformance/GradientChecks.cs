using TorchSharp;

namespace NetLlm.Testing.Conformance;

/// <summary>Checks that a loss reaches the parts of a model it must train.</summary>
public static class GradientChecks
{
    /// <summary>
    /// Every named part (a slot encoder, a head: the module's child of that name) has at least one trainable parameter
    /// with a gradient after a backward pass.
    /// </summary>
    /// <param name="module">The task model after a backward pass.</param>
    /// <param name="parts">Names of the children that must be reached.</param>
    public static void ReachEncodersAndHeads(torch.nn.Module module, IEnumerable<string> parts)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(parts);
        var parameters = module.named_parameters().ToList();
        foreach (var part in parts)
        {
            var own = parameters.Where(p => p.name.StartsWith(part + ".", StringComparison.Ordinal) && p.parameter.requires_grad).ToList();
            if (own.Count > 0 && own.All(p => p.parameter.grad is null))
            {
                throw new ConformanceException(nameof(ReachEncodersAndHeads), $"no gradient reaches '{part}' ({own.Count} trainable parameters)");
            }
        }
    }
}
