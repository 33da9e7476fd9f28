using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("baselines.vp.track", PluginKind.Baseline, "1.0.0", DependsOn = new[] { "task.vp" },
    Description = "Viewport prediction baseline vp.track: TRACK (Rondón et al.), the position branch trained on the task's train split, or a trained model loaded")]
