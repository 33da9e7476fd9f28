using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("backbone.gpt2", PluginKind.Backbone, "1.0.0",
    Description = "GPT-2 backbone (Hugging Face gpt2 checkpoints and random-init presets)")]
