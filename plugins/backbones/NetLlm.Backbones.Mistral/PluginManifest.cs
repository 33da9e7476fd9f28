using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("backbone.mistral", PluginKind.Backbone, "1.0.0",
    DependsOn = new[] { "backbone.llama" },
    Description = "Mistral backbone (Llama blocks with sliding-window attention)")]
