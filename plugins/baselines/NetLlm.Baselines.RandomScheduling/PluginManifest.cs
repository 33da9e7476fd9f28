using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("baselines.cjs.random", PluginKind.Baseline, "1.0.0",
    DependsOn = new[] { "task.cjs" },
    Description = "CJS baseline cjs.random: a random job's frontier stage and a uniform number of executors")]
