using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("baselines.abr.robust-mpc", PluginKind.Baseline, "1.0.0",
    DependsOn = new[] { "task.abr" },
    Description = "RobustMPC: model-predictive bitrate control over a robust throughput forecast for abr (abr.mpc)")]
