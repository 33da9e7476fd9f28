using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("baselines.abr.oracle", PluginKind.Baseline, "1.0.0",
    DependsOn = new[] { "task.abr" },
    Description = "Offline oracle for abr (abr.oracle): plans every bitrate with the trace's whole future known, by search over the task's own simulator")]
