using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("testbeds.abr.dashplayer", PluginKind.Testbed, "1.0.0",
    DependsOn = new[] { "task.abr" },
    Description = "Real-player testbed for abr: dash.js in headless Chromium over a trace-shaped link, asking a policy server for every segment")]
