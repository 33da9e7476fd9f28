using NetLlm.Abstractions.Models;
using NetLlm.Core.Adaptation;
using NetLlm.Encoders.Standard;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Tasks.AdaptiveBitrate.Model;

/// <summary>
/// NetLLM's task-specific part for ABR (<c>plm_special/models/state_encoder.py</c> and <c>rl_policy.py</c>): six
/// state tokens per step, one per feature of the Pensieve state, built with the standard encoders
/// (<see cref="ScalarMlpEncoder"/>: Linear(1, 256) + LeakyReLU + Linear(256, d) for the last bitrate, the buffer and
/// the remaining-chunk fraction; <see cref="SeriesCnnEncoder"/>: Conv1d(1, 256, 4) + LeakyReLU + flatten (768) +
/// Linear(768, d) for the throughput and download-time histories, Conv1d(1, 256, 6) (256) + Linear(256, d) for the
/// next chunk sizes); the action embedding Linear(1, d) of <c>(bitrate + 1) / 6</c>; and the head Linear(d, 6) over
/// the bitrates (every bitrate is always valid, so nothing is masked). One action component, one segment.
/// The module owns its parameters; returned tensors are owned by the caller.
/// </summary>
public sealed class AbrDecisionModel : nn.Module, IDecisionModel<AbrObservation>
{
    private const int Levels = AbrConstants.BitrateLevels;
    private const int History = AbrConstants.StateColumns;
    private const int Newest = AbrConstants.StateColumns - 1;

#pragma warning disable IDE1006 // state-dict names
    private readonly ScalarMlpEncoder last_bitrate;
    private readonly ScalarMlpEncoder buffer;
    private readonly SeriesCnnEncoder throughput;
    private readonly SeriesCnnEncoder delay;
    private readonly SeriesCnnEncoder chunk_sizes;
    private readonly ScalarMlpEncoder remaining;
    private readonly Linear embed_action;
    private readonly Linear action_head;
#pragma warning restore IDE1006

    /// <summary>Creates the model with PyTorch's default initialisation (seed it with <c>torch.manual_seed</c>).</summary>
    /// <param name="embeddingDim">Backbone hidden size d.</param>
    /// <param name="settings">Encoder width and conv size (the original's 256 and 4 by default).</param>
    public AbrDecisionModel(int embeddingDim, AbrModelSettings? settings = null)
        : base(nameof(AbrDecisionModel))
    {
        if (embeddingDim < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(embeddingDim), embeddingDim, "the embedding width must be positive");
        }

        Settings = settings ?? new AbrModelSettings();
        var width = Settings.StateFeatureDim;
        EmbeddingDim = embeddingDim;
        last_bitrate = new ScalarMlpEncoder(embeddingDim, 1, width);
        buffer = new ScalarMlpEncoder(embeddingDim, 1, width);
        throughput = new SeriesCnnEncoder(embeddingDim, History, 1, width, Settings.ConvSize);
        delay = new SeriesCnnEncoder(embeddingDim, History, 1, width, Settings.ConvSize);
        chunk_sizes = new SeriesCnnEncoder(embeddingDim, Levels, 1, width, Levels);
        remaining = new ScalarMlpEncoder(embeddingDim, 1, width);
        embed_action = nn.Linear(1, embeddingDim);
        action_head = nn.Linear(embeddingDim, Levels);
        RegisterComponents();
    }

    /// <summary>The encoder settings.</summary>
    public AbrModelSettings Settings { get; }

    /// <inheritdoc />
    public nn.Module Module => this;

    /// <inheritdoc />
    public int EmbeddingDim { get; }

    /// <inheritdoc />
    public int ActionComponents => 1;

    /// <inheritdoc />
    public IReadOnlyList<int> ComponentChoices { get; } = [Levels];

    /// <summary>State tokens per step.</summary>
    public const int StateTokens = 6;

    /// <inheritdoc />
    public SegmentTokens EncodeSegment(int component, IReadOnlyList<AbrObservation> states, IReadOnlyList<int[]> actions)
    {
        CheckComponent(component);
        ArgumentNullException.ThrowIfNull(states);
        using var scope = NewDisposeScope();
        var state = StateTensor(states);
        var lastBitrate = state.select(1, 0).narrow(1, Newest, 1);
        var bufferLevel = state.select(1, 1).narrow(1, Newest, 1);
        var throughputs = state.narrow(1, 2, 1);
        var delays = state.narrow(1, 3, 1);
        var sizes = state.narrow(1, 4, 1).narrow(2, 0, Levels);
        var remainingChunks = state.select(1, 5).narrow(1, Newest, 1);
        var tokens = cat(
            [
                last_bitrate.forward(lastBitrate),
                buffer.forward(bufferLevel),
                throughput.forward(throughputs),
                delay.forward(delays),
                chunk_sizes.forward(sizes),
                remaining.forward(remainingChunks),
            ],
            1);
        var lengths = Enumerable.Repeat(StateTokens, states.Count).ToArray();
        return new SegmentTokens(tokens.MoveToOuterDisposeScope(), lengths);
    }

    /// <inheritdoc />
    public Tensor Logits(int component, Tensor hidden, IReadOnlyList<AbrObservation> states, IReadOnlyList<int[]> actions)
    {
        CheckComponent(component);
        ArgumentNullException.ThrowIfNull(hidden);
        if (hidden.dim() != 2 || hidden.shape[1] != EmbeddingDim)
        {
            throw new ArgumentException($"abr head expects hidden states [n, {EmbeddingDim}], got [{string.Join(", ", hidden.shape)}]", nameof(hidden));
        }

        return action_head.forward(hidden);
    }

    /// <inheritdoc />
    public Tensor EmbedAction(IReadOnlyList<AbrObservation> states, IReadOnlyList<int[]> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var values = new float[actions.Count];
        for (var i = 0; i < actions.Count; i++)
        {
            var a = actions[i];
            if (a is null || a.Length < 1 || (uint)a[0] >= Levels)
            {
                throw new ArgumentException($"action {i}: expected one bitrate index 0 to {Levels - 1}, got [{(a is null ? "null" : string.Join(", ", a))}]", nameof(actions));
            }

            values[i] = (a[0] + 1) / (float)Levels;
        }

        using var scope = NewDisposeScope();
        var (dtype, device) = ParameterPlacement();
        var input = tensor(values, [actions.Count, 1]).to(dtype, device);
        return embed_action.forward(input).MoveToOuterDisposeScope();
    }

    private Tensor StateTensor(IReadOnlyList<AbrObservation> states)
    {
        if (states.Count == 0)
        {
            throw new ArgumentException("no states to encode", nameof(states));
        }

        var data = new float[states.Count * AbrObservation.StateLength];
        for (var i = 0; i < states.Count; i++)
        {
            states[i].CopyStateTo(data.AsSpan(i * AbrObservation.StateLength, AbrObservation.StateLength));
        }

        var (dtype, device) = ParameterPlacement();
        return tensor(data, [states.Count, AbrConstants.StateRows, AbrConstants.StateColumns]).to(dtype, device);
    }

    private (ScalarType DType, Device Device) ParameterPlacement()
    {
        var weight = action_head.weight ?? throw new InvalidOperationException("abr head has no weight");
        return (weight.dtype, weight.device);
    }

    private static void CheckComponent(int component)
    {
        if (component != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(component), component, "abr has one action component (the bitrate), index 0");
        }
    }
}
