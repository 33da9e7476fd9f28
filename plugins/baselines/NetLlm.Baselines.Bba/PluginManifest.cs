using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("baselines.abr.bba", PluginKind.Baseline, "1.0.0",
    DependsOn = new[] { "task.abr" },
    Description = "BBA: buffer-based bitrate adaptation (reservoir 5 s, cushion 10 s) for abr (abr.bba)")]
