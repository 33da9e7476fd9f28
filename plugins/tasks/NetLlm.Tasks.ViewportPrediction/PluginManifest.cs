using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("task.vp", PluginKind.Task, "1.0.0", DependsOn = new[] { "encoders.standard" },
    Description = "360-degree viewport prediction: Jin2022/Wu2017 datasets, MAE metric, NetLLM prediction model")]
