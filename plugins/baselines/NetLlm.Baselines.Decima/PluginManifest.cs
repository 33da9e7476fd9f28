using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("baselines.cjs.decima", PluginKind.Baseline, "1.0.0",
    DependsOn = new[] { "task.cjs", "encoders.graph" },
    Description = "CJS baseline cjs.decima: the pretrained Decima scheduler of spark-sched-sim (its own DAG GNN and policy networks)")]
