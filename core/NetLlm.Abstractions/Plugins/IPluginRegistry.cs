using NetLlm.Abstractions.Backbones;
using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;

namespace NetLlm.Abstractions.Plugins;

/// <summary>
/// Everything the loaded plugins contribute, by id. The host builds it once; the engine resolves tasks, baselines,
/// encoders and backbones through it.
/// </summary>
public interface IPluginRegistry
{
    /// <summary>All tasks.</summary>
    IReadOnlyList<ITask> Tasks { get; }

    /// <summary>All policy providers (baselines).</summary>
    IReadOnlyList<IPolicyProvider> Policies { get; }

    /// <summary>All backbone families.</summary>
    IReadOnlyList<IBackboneProvider> Backbones { get; }

    /// <summary>All encoder providers.</summary>
    IReadOnlyList<IEncoderProvider> Encoders { get; }


    /// <summary>The task with this id; throws <see cref="KeyNotFoundException"/> naming the known ids.</summary>
    /// <param name="id">Task id, for example <c>abr</c>.</param>
    ITask GetTask(string id);

    /// <summary>The policy provider with this id; throws <see cref="KeyNotFoundException"/> naming the known ids.</summary>
    /// <param name="id">Policy id, for example <c>abr.bba</c>.</param>
    IPolicyProvider GetPolicy(string id);

    /// <summary>
    /// The backbone family whose <see cref="IBackboneProvider.ModelTypes"/> contains <paramref name="modelType"/>
    /// (the <c>model_type</c> key of a Hugging Face config.json); throws naming the known types.
    /// </summary>
    /// <param name="modelType">Hugging Face model type, for example <c>llama</c>.</param>
    IBackboneProvider GetBackboneForModelType(string modelType);

    /// <summary>The encoder provider with this id; throws naming the known ids.</summary>
    /// <param name="id">Encoder id, for example <c>encoder.series-cnn</c>.</param>
    IEncoderProvider GetEncoder(string id);

}
