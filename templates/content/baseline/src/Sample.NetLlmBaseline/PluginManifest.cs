using NetLlm.Abstractions.Plugins;

// The plugin manifest the host reads before loading anything: a unique lower-case dotted id, the kind and the
// plugin's version (keep it equal to <Version> in the .csproj). The policy uses only plain arrays as observations
// and actions, so it needs no types from the task plugin and DependsOn stays empty.
[assembly: NetLlmPlugin("baselines.sample-id", PluginKind.Baseline, "1.0.0",
    Description = "Exponentially weighted moving-average throughput predictor for task sample-bw")]
