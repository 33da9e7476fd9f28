using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("backbone.llava", PluginKind.Backbone, "1.0.0",
    DependsOn = new[] { "backbone.llama" },
    Description = "LLaVa backbone (llava-hf checkpoints): Llama language model plus the CLIP vision tower as encoder.clip-vision")]
