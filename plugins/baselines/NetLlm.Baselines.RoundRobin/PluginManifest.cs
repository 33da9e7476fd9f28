using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("baselines.cjs.round-robin", PluginKind.Baseline, "1.0.0",
    DependsOn = new[] { "task.cjs" },
    Description = "CJS baselines FIFO (cjs.fifo) and Fair (cjs.fair): round robin over jobs in arrival order, without and with dynamic partitioning")]
