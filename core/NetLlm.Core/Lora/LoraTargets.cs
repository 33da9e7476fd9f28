using NetLlm.Core.Modules;
using System.Text.RegularExpressions;
using NetLlm.Abstractions.Backbones;
using TorchSharp;

namespace NetLlm.Core.Lora;

/// <summary>Finds the layers an adapter targets, by PEFT's matching rules.</summary>
public static class LoraTargets
{
    /// <summary>
    /// The <see cref="AdaptableLinear"/> modules under <paramref name="root"/> selected by
    /// <paramref name="options"/>: names matching exactly or as a dotted suffix, a regular expression matching the
    /// whole path, or every adaptable linear layer except the output head for <c>all-linear</c>.
    /// </summary>
    /// <param name="root">Root module (module paths are relative to it).</param>
    /// <param name="options">The target rules.</param>
    public static IReadOnlyList<(string Path, AdaptableLinear Layer)> Find(torch.nn.Module root, LoraOptions options)
    {
        var all = root.named_modules()
            .Where(m => m.module is AdaptableLinear)
            .Select(m => (m.name, (AdaptableLinear)m.module))
            .ToList();
        if (options.TargetModulesRegex is { } pattern)
        {
            var regex = new Regex("^(?:" + pattern + ")$", RegexOptions.CultureInvariant);
            return all.Where(m => regex.IsMatch(m.name)).ToList();
        }

        if (options.TargetModules.Count == 1 && options.TargetModules[0] == "all-linear")
        {
            return all.Where(m => !IsOutputHead(m.name)).ToList();
        }

        return all.Where(m => options.TargetModules.Any(t => Matches(m.name, t))).ToList();
    }

    /// <summary>True when <paramref name="path"/> equals <paramref name="name"/> or ends with <c>.name</c>.</summary>
    /// <param name="path">Full module path.</param>
    /// <param name="name">Target name.</param>
    public static bool Matches(string path, string name) =>
        path == name || path.EndsWith("." + name, StringComparison.Ordinal);

    private static bool IsOutputHead(string path) =>
        path is "lm_head" || path.EndsWith(".lm_head", StringComparison.Ordinal) || path.EndsWith("language_model.lm_head", StringComparison.Ordinal);
}
