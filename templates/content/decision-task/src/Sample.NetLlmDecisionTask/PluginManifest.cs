using NetLlm.Abstractions.Plugins;

// The plugin manifest the host reads before loading anything: a unique lower-case dotted id, the kind and the
// plugin's version (keep it equal to <Version> in the .csproj). The encoder of the model's slot is created through
// the registry by id, so no DependsOn is needed for it; install the encoder plugin next to this one.
[assembly: NetLlmPlugin("task.sample-id", PluginKind.Task, "1.0.0",
    Description = "Link selection: pick one of three links per step; switching costs part of the step (task sample-link)")]
