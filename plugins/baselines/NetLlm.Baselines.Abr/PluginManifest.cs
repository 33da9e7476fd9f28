using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("baselines.abr", PluginKind.Baseline, "1.0.0",
    DependsOn = new[] { "task.abr" },
    Description = "ABR baselines: BBA, RobustMPC, GENET and UDR-1/2/3/real (Pensieve actor)")]
