using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("backbone.opt", PluginKind.Backbone, "1.0.0",
    Description = "OPT backbone (Hugging Face opt checkpoints and presets)")]
