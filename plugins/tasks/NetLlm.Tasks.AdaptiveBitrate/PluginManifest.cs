using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("task.abr", PluginKind.Task, "1.0.0",
    DependsOn = new[] { "encoders.standard" },
    Description = "Adaptive bitrate streaming: Pensieve/Genet chunk-level simulator, QoE, settings and the NetLLM ABR model")]
