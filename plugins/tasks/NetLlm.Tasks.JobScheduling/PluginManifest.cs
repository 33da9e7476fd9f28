using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("task.cjs", PluginKind.Task, "1.0.0",
    Description = "Cluster job scheduling: Spark DAG scheduling simulator on TPC-H jobs, average job completion time")]
