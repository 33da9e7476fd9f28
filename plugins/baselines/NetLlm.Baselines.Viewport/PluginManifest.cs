using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("baselines.vp", PluginKind.Baseline, "1.0.0", DependsOn = new[] { "task.vp" },
    Description = "Viewport prediction baselines: linear regression (vp.lr), velocity (vp.velocity), TRACK (vp.track), persistence (vp.hold)")]
