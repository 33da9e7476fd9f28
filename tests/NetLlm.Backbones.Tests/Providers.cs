using NetLlm.Abstractions.Backbones;
using NetLlm.Backbones.Gpt2;
using NetLlm.Backbones.Llama;
using NetLlm.Backbones.Llava;
using NetLlm.Backbones.Mistral;
using NetLlm.Backbones.Opt;

namespace NetLlm.Backbones.Tests;

/// <summary>The backbone providers under test, by fixture architecture name.</summary>
internal static class Providers
{
    public static IBackboneProvider For(string arch) => arch switch
    {
        "llama" => new LlamaProvider(),
        "mistral" => new MistralProvider(),
        "gpt2" => new Gpt2Provider(),
        "opt" => new OptProvider(),
        "llava" => new LlavaProvider(),
        _ => throw new ArgumentException($"no provider for {arch}"),
    };
}
