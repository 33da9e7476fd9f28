using NetLlm.Abstractions.Plugins;

// The plugin manifest the host reads before loading anything: a unique lower-case dotted id, the kind and the
// plugin's version (keep it equal to <Version> in the .csproj).
[assembly: NetLlmPlugin("encoders.sample-id", PluginKind.Encoder, "1.0.0",
    Description = "Patch encoder for multichannel time series (encoder.sample-patch)")]
