using NetLlm.Abstractions.Plugins;

// The plugin manifest the host reads before loading anything: a unique lower-case dotted id, the kind and the
// plugin's version (keep it equal to <Version> in the .csproj).
[assembly: NetLlmPlugin("backbone.sample-id", PluginKind.Backbone, "1.0.0",
    Description = "Decoder-only transformer family sample-decoder (learned positions, pre-LayerNorm)")]
