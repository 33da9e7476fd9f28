using NetLlm.Abstractions.Backbones;
using NetLlm.Backbones.Llama;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Tests;

public sealed class LlamaGoldenTests(ITestOutputHelper output)
{
    [Fact]
    public void Safetensors_ReproducesTokensAndEmbedsOutputs()
    {
        using var fx = GoldenFixture.Open("llama");
        using var backbone = new LlamaProvider().FromPretrained(fx.ModelDirectory, new BackboneLoadOptions());
        using var ids = fx.Input("input_ids");
        using var mask = fx.Input("attention_mask");
        using var embeds = fx.Input("inputs_embeds");
        using (var outT = backbone.Forward(new BackboneInput { InputIds = ids, AttentionMask = mask, OutputHiddenStates = true, OutputLogits = true }))
        {
            using var expLogits = fx.Expected("tokens_logits");
            using var expLast = fx.Expected("tokens_last_hidden_state");
            using var expHidden = fx.Expected("tokens_hidden_states");
            output.WriteLine($"tokens logits {Tolerance.AssertClose(outT.Logits!, expLogits, mask, 1e-4, 1e-4, "logits"):G3}");
            output.WriteLine($"tokens last {Tolerance.AssertClose(outT.LastHiddenState, expLast, mask, 1e-4, 1e-4, "last"):G3}");
            using var stacked = stack(outT.HiddenStates!, 0);
            output.WriteLine($"tokens hidden {Tolerance.AssertClose(stacked, expHidden, mask, 1e-4, 1e-4, "hidden"):G3}");
        }

        using var outE = backbone.Forward(new BackboneInput { InputsEmbeds = embeds, OutputHiddenStates = true, OutputLogits = true });
        using var expLogitsE = fx.Expected("embeds_logits");
        output.WriteLine($"embeds logits {Tolerance.AssertClose(outE.Logits!, expLogitsE, null, 1e-4, 1e-4, "logits"):G3}");
    }
}
