namespace NetLlm.Abstractions.Plugins;

/// <summary>What a plugin assembly contributes.</summary>
public enum PluginKind
{
    /// <summary>A foundation model family (<see cref="Backbones.IBackboneProvider"/>).</summary>
    Backbone,

    /// <summary>A networking task (<see cref="Tasks.ITask"/>).</summary>
    Task,

    /// <summary>Existing policies for a task (<see cref="Policies.IPolicyProvider"/>).</summary>
    Baseline,

    /// <summary>Modality encoders (<see cref="Encoders.IEncoderProvider"/>).</summary>
    Encoder,

    /// <summary>A real-world testbed for a task (<see cref="Testbeds.ITestbed"/>, <c>netllm realtest</c>).</summary>
    Testbed,
}
