using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("encoders.vision", PluginKind.Encoder, "1.0.0",
    Description = "Frozen ViT image encoder (Hugging Face ViT weights): CLS feature [batch, 1, hidden]")]
