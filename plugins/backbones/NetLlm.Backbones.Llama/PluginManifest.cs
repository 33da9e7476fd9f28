using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("backbone.llama", PluginKind.Backbone, "1.0.0",
    Description = "Llama 2 backbone (Hugging Face llama checkpoints, llama2.c checkpoints, random-init presets)")]
