using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("baselines.vp.velocity", PluginKind.Baseline, "1.0.0", DependsOn = new[] { "task.vp" },
    Description = "Viewport prediction baseline vp.velocity: the original's constant velocity from the first and last history rows")]
