using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Models;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Tasks.AdaptiveBitrate.Model;

/// <summary>
/// NetLLM's task-specific part for ABR (<c>plm_special/models/state_encoder.py</c> and <c>rl_policy.py</c>): one segment
/// of state tokens per step, one per feature of the Pensieve state, each from its slot's encoder (the newest last
/// bitrate, buffer and remaining-chunk fraction as <c>[n, 1]</c> scalars; the throughput and download-time histories
/// and the next chunk sizes as <c>[n, 1, 6]</c> series), and the action embedding <c>embed_action</c> = Linear(1, d) of
/// <c>(bitrate + 1) / 6</c>. Every bitrate is always valid, so nothing is masked. Returned tensors are owned by the caller.
/// </summary>
public sealed class AbrTokenizer : IDecisionTokenizer<AbrObservation>
{
    private const int Levels = AbrConstants.BitrateLevels;
    private const int Newest = AbrConstants.StateColumns - 1;
    private readonly IModalityEncoder<Tensor, Tensor> _lastBitrate;
    private readonly IModalityEncoder<Tensor, Tensor> _buffer;
    private readonly IModalityEncoder<Tensor, Tensor> _throughput;
    private readonly IModalityEncoder<Tensor, Tensor> _delay;
    private readonly IModalityEncoder<Tensor, Tensor> _chunkSizes;
    private readonly IModalityEncoder<Tensor, Tensor> _remaining;
    private readonly Linear _embedAction;

    /// <summary>Creates the tokenizer over the slot encoders of <paramref name="context"/>.</summary>
    /// <param name="context">Token width and the encoders of <see cref="AbrModelDesign"/>'s slots.</param>
    public AbrTokenizer(ModelContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _lastBitrate = context.Encoder<IModalityEncoder<Tensor, Tensor>>(AbrModelDesign.LastBitrate);
        _buffer = context.Encoder<IModalityEncoder<Tensor, Tensor>>(AbrModelDesign.Buffer);
        _throughput = context.Encoder<IModalityEncoder<Tensor, Tensor>>(AbrModelDesign.Throughput);
        _delay = context.Encoder<IModalityEncoder<Tensor, Tensor>>(AbrModelDesign.Delay);
        _chunkSizes = context.Encoder<IModalityEncoder<Tensor, Tensor>>(AbrModelDesign.ChunkSizes);
        _remaining = context.Encoder<IModalityEncoder<Tensor, Tensor>>(AbrModelDesign.Remaining);
        _embedAction = nn.Linear(1, context.EmbeddingDim);
        Modules = [new(AbrModelDesign.EmbedAction, _embedAction)];
    }

    /// <inheritdoc />
    public IReadOnlyList<KeyValuePair<string, nn.Module>> Modules { get; }

    /// <inheritdoc />
    public SegmentTokens EncodeSegment(int component, IReadOnlyList<AbrObservation> observations, IReadOnlyList<int[]> prefixes)
    {
        CheckComponent(component);
        ArgumentNullException.ThrowIfNull(observations);
        using var scope = NewDisposeScope();
        var state = StateTensor(observations);
        var tokens = cat(
            [
                _lastBitrate.Encode(state.select(1, 0).narrow(1, Newest, 1)),
                _buffer.Encode(state.select(1, 1).narrow(1, Newest, 1)),
                _throughput.Encode(state.narrow(1, 2, 1)),
                _delay.Encode(state.narrow(1, 3, 1)),
                _chunkSizes.Encode(state.narrow(1, 4, 1).narrow(2, 0, Levels)),
                _remaining.Encode(state.select(1, 5).narrow(1, Newest, 1)),
            ],
            1);
        var lengths = Enumerable.Repeat(checked((int)tokens.shape[1]), observations.Count).ToArray();
        return new SegmentTokens(tokens.MoveToOuterDisposeScope(), lengths);
    }

    /// <inheritdoc />
    public Tensor? ValidChoices(int component, IReadOnlyList<AbrObservation> observations, IReadOnlyList<int[]> prefixes)
    {
        CheckComponent(component);
        return null;
    }

    /// <inheritdoc />
    public Tensor EmbedAction(IReadOnlyList<AbrObservation> observations, IReadOnlyList<int[]> actions)
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
        var weight = EmbedWeight();
        var input = tensor(values, [actions.Count, 1]).to(weight.dtype, weight.device);
        return _embedAction.forward(input).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The modules are registered in (and disposed with) the engine's task model.
    }

    private Tensor StateTensor(IReadOnlyList<AbrObservation> observations)
    {
        if (observations.Count == 0)
        {
            throw new ArgumentException("no states to encode", nameof(observations));
        }

        var data = new float[observations.Count * AbrObservation.StateLength];
        for (var i = 0; i < observations.Count; i++)
        {
            observations[i].CopyStateTo(data.AsSpan(i * AbrObservation.StateLength, AbrObservation.StateLength));
        }

        var weight = EmbedWeight();
        return tensor(data, [observations.Count, AbrConstants.StateRows, AbrConstants.StateColumns]).to(weight.dtype, weight.device);
    }

    private Tensor EmbedWeight() => _embedAction.weight ?? throw new InvalidOperationException("abr embed_action has no weight");

    private static void CheckComponent(int component)
    {
        if (component != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(component), component, "abr has one action component (the bitrate), index 0");
        }
    }
}
