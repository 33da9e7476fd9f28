using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("baselines.abr.pensieve", PluginKind.Baseline, "1.0.0",
    DependsOn = new[] { "task.abr" },
    Description = "The Pensieve A3C actor for abr with GENET and UDR-1/2/3/real weights (abr.genet, abr.udr-*)")]
