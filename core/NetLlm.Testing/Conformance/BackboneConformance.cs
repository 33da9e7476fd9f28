using NetLlm.Abstractions.Backbones;
using NetLlm.Core.Lora;
using static TorchSharp.torch;

namespace NetLlm.Testing.Conformance;

/// <summary>
/// Checks of a backbone family: every preset builds on the <c>meta</c> device with consistent facts; the small
/// presets (at most 20 M parameters) run a forward pass whose KV-cached continuation equals the full pass, and take a
/// LoRA adapter on the family's default targets.
/// </summary>
public static class BackboneConformance
{
    /// <summary>Largest preset (parameters) that is built with real weights.</summary>
    public const long SmallPreset = 20_000_000;

    /// <summary>Runs the checks.</summary>
    /// <param name="provider">The family.</param>
    public static string Check(IBackboneProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        if (provider.DefaultLoraTargets.Count == 0)
        {
            throw new ConformanceException(nameof(BackboneConformance), $"{provider.Family}: no default LoRA targets");
        }

        if (provider.DefaultPreset is { } preset && !provider.Presets.ContainsKey(preset))
        {
            throw new ConformanceException(nameof(BackboneConformance), $"{provider.Family}: default preset '{preset}' is not one of its presets");
        }

        if (provider.CanLoad(Path.Combine(Path.GetTempPath(), "netllm-no-such-model-" + Guid.NewGuid().ToString("N"))))
        {
            throw new ConformanceException(nameof(BackboneConformance), $"{provider.Family}: claims a folder that does not exist");
        }

        var small = 0;
        foreach (var (name, config) in provider.Presets)
        {
            long parameters;
            using (var meta = provider.FromConfig(config, new BackboneLoadOptions { Device = "meta", RandomInit = true }))
            {
                var info = meta.Info;
                if (info.NumLayers < 1 || info.HiddenSize < 1 || info.ParameterCount < 1 || meta.HiddenSize != info.HiddenSize)
                {
                    throw new ConformanceException(nameof(BackboneConformance), $"{provider.Family}/{name}: inconsistent facts ({info.NumLayers} layers, hidden {info.HiddenSize}, {info.ParameterCount} parameters)");
                }

                parameters = info.ParameterCount;
            }

            if (parameters <= SmallPreset)
            {
                ForwardAndCache(provider, name, config);
                small++;
            }
        }

        return $"{provider.Presets.Count} preset(s) on the meta device, {small} run with the KV cache and LoRA on {string.Join(",", provider.DefaultLoraTargets)}";
    }

    private static void ForwardAndCache(IBackboneProvider provider, string name, string config)
    {
        using var backbone = provider.FromConfig(config, new BackboneLoadOptions { RandomInit = true, Seed = 1 });
        backbone.Module.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(2);
        var embeds = randn(1, 5, backbone.HiddenSize).to_type(backbone.ComputeDType);
        using var full = backbone.Forward(new BackboneInput { InputsEmbeds = embeds });
        using var cache = backbone.CreateCache();
        using (backbone.Forward(new BackboneInput { InputsEmbeds = embeds.narrow(1, 0, 4), Cache = cache }))
        {
        }

        using var last = backbone.Forward(new BackboneInput { InputsEmbeds = embeds.narrow(1, 4, 1), Cache = cache });
        var want = full.LastHiddenState.narrow(1, 4, 1);
        if (!full.LastHiddenState.isfinite().all().item<bool>() || !last.LastHiddenState.allclose(want, rtol: 1e-4, atol: 1e-4))
        {
            throw new ConformanceException(nameof(BackboneConformance), $"{provider.Family}/{name}: the KV-cached step differs from the full pass");
        }

        var lora = LoraModel.Apply(backbone.Module, new LoraOptions { Rank = 2, TargetModules = provider.DefaultLoraTargets }, seed: 1);
        if (lora.Layers.Count == 0)
        {
            throw new ConformanceException(nameof(BackboneConformance), $"{provider.Family}/{name}: the default LoRA targets match no layer");
        }
    }
}
