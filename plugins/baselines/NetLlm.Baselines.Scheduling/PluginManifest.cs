using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("baselines.cjs", PluginKind.Baseline, "1.0.0",
    DependsOn = new[] { "task.cjs" },
    Description = "CJS baselines: FIFO, Fair, random and the pretrained Decima scheduler")]
