using NetLlm.Abstractions.Plugins;

[assembly: NetLlmPlugin("encoders.graph", PluginKind.Encoder, "1.0.0",
    Description = "DAG graph encoder (Decima's reverse-flow message passing): node, DAG and global embeddings of job DAGs")]
