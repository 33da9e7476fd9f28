using System.Text.Json.Nodes;
using NetLlm.Abstractions.Models;
using NetLlm.Abstractions.Plugins;
using NetLlm.Core.Adaptation;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Core.Engine;

/// <summary>
/// A decision task's model assembled from its design: the slot encoders from the registry, the task's tokenizer and
/// the heads, registered in that order in one module (state-dict names <c>&lt;slot&gt;.*</c>, the tokenizer's module
/// names, <c>&lt;head&gt;.*</c>). The return-conditioned model drives it: segments come from the tokenizer, logits
/// from the heads with the tokenizer's valid-choice masks.
/// </summary>
/// <typeparam name="TObservation">Observation type.</typeparam>
public sealed class DecisionTaskModel<TObservation> : IDecisionModel<TObservation>
{
    private readonly IDecisionTokenizer<TObservation> _tokenizer;
    private readonly IReadOnlyList<INetworkingHead> _heads;
    private readonly Container _module;

    private DecisionTaskModel(IReadOnlyList<CreatedEncoder> encoders, IDecisionTokenizer<TObservation> tokenizer, IReadOnlyList<HeadSlot> headSlots, IReadOnlyList<INetworkingHead> heads, int embeddingDim)
    {
        Encoders = encoders;
        _tokenizer = tokenizer;
        _heads = heads;
        EmbeddingDim = embeddingDim;
        ComponentChoices = headSlots.Select(h => h.Outputs).ToList();
        _module = new Container();
        foreach (var e in encoders)
        {
            _module.Add(e.Slot.Name, e.Encoder.Module);
        }

        foreach (var (name, module) in tokenizer.Modules)
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

    /// <inheritdoc />
    public nn.Module Module => _module;

    /// <inheritdoc />
    public int EmbeddingDim { get; }

    /// <inheritdoc />
    public int ActionComponents => _heads.Count;

    /// <inheritdoc />
    public IReadOnlyList<int> ComponentChoices { get; }

    /// <summary>What run.json records about the model (<c>model.encoders</c>).</summary>
    public JsonObject DescribeEncoders() => ModelAssembly.Describe(Encoders);

    /// <summary>Builds the model: encoders, then the tokenizer, then the heads.</summary>
    /// <param name="design">The task's design.</param>
    /// <param name="registry">Loaded plugins.</param>
    /// <param name="embeddingDim">Backbone hidden size.</param>
    /// <param name="choices">Encoders named by the user or recorded in a run.</param>
    /// <param name="dataRoot">Data root.</param>
    /// <param name="taskId">Task id, for messages.</param>
    public static DecisionTaskModel<TObservation> Create(DecisionModelDesign<TObservation> design, IPluginRegistry registry, int embeddingDim, IReadOnlyList<EncoderChoice> choices, string? dataRoot, string taskId)
    {
        ArgumentNullException.ThrowIfNull(design);
        if (design.Heads.Count == 0)
        {
            throw new InvalidOperationException($"task '{taskId}': its model design has no head");
        }

        var encoders = ModelAssembly.CreateEncoders(registry, design.Encoders, embeddingDim, choices, dataRoot, taskId);
        var context = new ModelContext(embeddingDim, encoders.ToDictionary(e => e.Slot.Name, e => e.Encoder, StringComparer.Ordinal));
        var tokenizer = design.CreateTokenizer(context);
        var heads = ModelAssembly.CreateHeads(design.Heads, embeddingDim);
        for (var j = 0; j < heads.Count; j++)
        {
            context.AddHead(design.Heads[j].Name, heads[j]);
        }

        return new DecisionTaskModel<TObservation>(encoders, tokenizer, design.Heads, heads, embeddingDim);
    }

    /// <inheritdoc />
    public SegmentTokens EncodeSegment(int component, IReadOnlyList<TObservation> states, IReadOnlyList<int[]> actions) =>
        _tokenizer.EncodeSegment(component, states, actions);

    /// <inheritdoc />
    public Tensor Logits(int component, Tensor hidden, IReadOnlyList<TObservation> states, IReadOnlyList<int[]> actions)
    {
        if ((uint)component >= (uint)_heads.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(component), component, $"the model has {_heads.Count} heads");
        }

        using var mask = _tokenizer.ValidChoices(component, states, actions);
        return _heads[component].Forward(hidden, mask);
    }

    /// <inheritdoc />
    public Tensor EmbedAction(IReadOnlyList<TObservation> states, IReadOnlyList<int[]> actions) => _tokenizer.EmbedAction(states, actions);

    /// <inheritdoc />
    public void Dispose()
    {
        _tokenizer.Dispose();
        _module.Dispose();
    }

    /// <summary>The module the parts are registered in, in creation order.</summary>
    private sealed class Container : nn.Module
    {
        public Container()
            : base("TaskModel")
        {
        }

        public void Add(string name, nn.Module module) => register_module(name, module);
    }
}
