using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("baselines.vp.persistence", PluginKind.Baseline, "1.0.0", DependsOn = new[] { "task.vp" },
    Description = "Viewport prediction baseline vp.hold: persistence, every future row repeats the last history row (a floor, not in the original)")]
