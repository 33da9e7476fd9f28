using System.Text.Json.Nodes;
using NetLlm.Abstractions.Backbones;
using NetLlm.Abstractions.Models;
using NetLlm.Abstractions.Plugins;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Core.Engine;

/// <summary>
/// A prediction task's model assembled from its design: the slot encoders, the task's supervised model and the heads,
/// registered in that order in one module (state-dict names <c>&lt;slot&gt;.*</c>, the model's module names,
/// <c>&lt;head&gt;.*</c>).
/// </summary>
/// <typeparam name="TSample">Sample type.</typeparam>
/// <typeparam name="TInput">Predictor input type.</typeparam>
/// <typeparam name="TPrediction">Prediction type.</typeparam>
public sealed class PredictionTaskModel<TSample, TInput, TPrediction> : IDisposable
{
    private readonly Container _module;

    private PredictionTaskModel(IReadOnlyList<CreatedEncoder> encoders, ISupervisedModel<TSample, TInput, TPrediction> model, IReadOnlyList<HeadSlot> headSlots, IReadOnlyList<INetworkingHead> heads)
    {
        Encoders = encoders;
        Model = model;
        _module = new Container();
        foreach (var e in encoders)
        {
            _module.Add(e.Slot.Name, e.Encoder.Module);
        }

        foreach (var (name, module) in model.Modules)
        {
            _module.Add(name, module);
        }

        for (var j = 0; j < heads.Count; j++)
        {
            _module.Add(headSlots[j].Name, heads[j].Module);
        }
    }

    /// <summary>The encoders chosen for the slots.</summary>
    public IReadOnlyList<CreatedEncoder> Encoders { get; }

    /// <summary>The task's supervised model.</summary>
    public ISupervisedModel<TSample, TInput, TPrediction> Model { get; }

    /// <summary>The module holding every trainable parameter outside the backbone.</summary>
    public nn.Module Module => _module;

    /// <summary>What run.json records about the encoders.</summary>
    public JsonObject DescribeEncoders() => ModelAssembly.Describe(Encoders);

    /// <summary>Builds the model: encoders, then the task's model, then the heads.</summary>
    /// <param name="design">The task's design.</param>
    /// <param name="registry">Loaded plugins.</param>
    /// <param name="embeddingDim">Backbone hidden size.</param>
    /// <param name="choices">Encoders named by the user or recorded in a run.</param>
    /// <param name="dataRoot">Data root.</param>
    /// <param name="taskId">Task id, for messages.</param>
    public static PredictionTaskModel<TSample, TInput, TPrediction> Create(PredictionModelDesign<TSample, TInput, TPrediction> design, IPluginRegistry registry, int embeddingDim, IReadOnlyList<EncoderChoice> choices, string? dataRoot, string taskId)
    {
        ArgumentNullException.ThrowIfNull(design);
        var encoders = ModelAssembly.CreateEncoders(registry, design.Encoders, embeddingDim, choices, dataRoot, taskId);
        var context = new ModelContext(embeddingDim, encoders.ToDictionary(e => e.Slot.Name, e => e.Encoder, StringComparer.Ordinal));
        var model = design.CreateModel(context);
        var heads = ModelAssembly.CreateHeads(design.Heads, embeddingDim);
        for (var j = 0; j < heads.Count; j++)
        {
            context.AddHead(design.Heads[j].Name, heads[j]);
        }

        return new PredictionTaskModel<TSample, TInput, TPrediction>(encoders, model, design.Heads, heads);
    }

    /// <summary>Predictions for inputs without gradients.</summary>
    /// <param name="backbone">The backbone.</param>
    /// <param name="inputs">Inputs.</param>
    public IReadOnlyList<TPrediction> Predict(IBackbone backbone, IReadOnlyList<TInput> inputs)
    {
        using var noGrad = no_grad();
        return Model.Predict(backbone, inputs);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Model.Dispose();
        _module.Dispose();
    }

    private sealed class Container : nn.Module
    {
        public Container()
            : base("TaskModel")
        {
        }

        public void Add(string name, nn.Module module) => register_module(name, module);
    }
}
