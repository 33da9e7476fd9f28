using NetLlm.Abstractions.Plugins;

// The plugin manifest the host reads before loading anything: a unique lower-case dotted id, the kind and the
// plugin's version (keep it equal to <Version> in the .csproj). The policy uses the task's observation and action
// types, so the manifest depends on the task plugin: the host loads it first and this plugin sees its very types.
[assembly: NetLlmPlugin("baselines.sample-id", PluginKind.Baseline, "1.0.0",
    DependsOn = new[] { "task.sample-id" },
    Description = "Exponentially weighted moving-average throughput predictor for task sample-bw (sample-bw.ewma)")]
