using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("baselines.vp.lr", PluginKind.Baseline, "1.0.0", DependsOn = new[] { "task.vp" },
    Description = "Viewport prediction baseline vp.lr: the original's per-axis linear regression, refitted on history + predictions at every step")]
