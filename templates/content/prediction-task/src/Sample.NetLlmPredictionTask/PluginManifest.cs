using NetLlm.Abstractions.Plugins;

// The plugin manifest the host reads before loading anything: a unique lower-case dotted id, the kind and the
// plugin's version (keep it equal to <Version> in the .csproj).
[assembly: NetLlmPlugin("task.sample-id", PluginKind.Task, "1.0.0",
    Description = "Throughput prediction from traces (task sample-bw)")]
