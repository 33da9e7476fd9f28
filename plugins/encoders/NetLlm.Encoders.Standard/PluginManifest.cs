using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("encoders.standard", PluginKind.Encoder, "1.0.0",
    Description = "1D-CNN encoder for time series and MLP encoder for scalar features")]
