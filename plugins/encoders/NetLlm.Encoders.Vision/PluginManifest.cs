using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("encoders.vision", PluginKind.Encoder, "1.0.0",
    Description = "Frozen ViT image encoder encoder.vit (Hugging Face ViT weights, or random of a given shape): CLS feature [batch, 1, width]")]
