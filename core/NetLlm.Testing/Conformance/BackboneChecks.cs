using NetLlm.Abstractions.Backbones;
using NetLlm.Core.IO;
using static TorchSharp.torch;

namespace NetLlm.Testing.Conformance;

/// <summary>
/// A backbone reproduces a golden fixture folder (the layout of shared/fixtures/golden/&lt;arch&gt;: <c>inputs/</c> and
/// <c>expected/</c> each with a <c>tensors.safetensors</c>) within tolerance, positions with attention mask 0
/// excluded.
/// </summary>
public static class BackboneChecks
{
    /// <summary>Runs the token and embedding inputs and compares logits and last hidden states.</summary>
    /// <param name="backbone">The backbone (weights of the fixture loaded).</param>
    /// <param name="fixture">Fixture folder.</param>
    /// <param name="atol">Absolute tolerance.</param>
    /// <param name="rtol">Relative tolerance.</param>
    /// <param name="expectedFolder">Expected-output folder relative to the fixture (default <c>expected</c>).</param>
    /// <returns>The largest absolute error seen.</returns>
    public static double ReproducesGolden(IBackbone backbone, string fixture, double atol = 1e-4, double rtol = 1e-4, string expectedFolder = "expected")
    {
        using var inputs = SafetensorsFile.Open(Path.Combine(fixture, "inputs", "tensors.safetensors"));
        using var expected = SafetensorsFile.Open(Path.Combine(fixture, expectedFolder, "tensors.safetensors"));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        backbone.Module.eval();
        double worst = 0;
        foreach (var kind in new[] { "tokens", "embeds" })
        {
            var mask = kind == "tokens" ? inputs.Read("attention_mask") : null;
            var request = kind == "tokens"
                ? new BackboneInput { InputIds = inputs.Read("input_ids"), AttentionMask = mask, OutputLogits = backbone.Info.HasLmHead }
                : new BackboneInput { InputsEmbeds = inputs.Read("inputs_embeds"), OutputLogits = backbone.Info.HasLmHead };
            using var output = backbone.Forward(request);
            var pairs = new List<(string Name, Tensor Actual)> { ($"{kind}_last_hidden_state", output.LastHiddenState) };
            if (output.Logits is not null && expected.Entries.ContainsKey($"{kind}_logits"))
            {
                pairs.Add(($"{kind}_logits", output.Logits));
            }

            foreach (var (name, actual) in pairs)
            {
                var want = expected.Read(name);
                var diff = (actual.to_type(ScalarType.Float32) - want).abs();
                var bound = want.abs().mul(rtol).add(atol);
                var bad = diff.gt(bound);
                if (mask is not null)
                {
                    bad = bad.logical_and(mask.to_type(ScalarType.Bool).unsqueeze(-1));
                    diff = diff.mul(mask.unsqueeze(-1));
                }

                worst = Math.Max(worst, diff.max().item<float>());
                if (bad.any().item<bool>())
                {
                    throw new ConformanceException(nameof(ReproducesGolden), $"{fixture}: {name} differs by up to {diff.max().item<float>():G4} (tolerance atol {atol}, rtol {rtol})");
                }
            }
        }

        return worst;
    }
}
