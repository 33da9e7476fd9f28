using NetLlm.Abstractions.Plugins;

// The plugin manifest the host reads before loading anything: a unique lower-case dotted id, the kind, the plugin's
// version (keep it equal to <Version> in the .csproj) and the ids of plugins whose types this one uses (none).
[assembly: NetLlmPlugin("task.sample-id", PluginKind.Task, "1.0.0",
    Description = "Link-bandwidth prediction from throughput traces (task sample-bw)")]
