using NetLlm.Abstractions.Backbones;
using NetLlm.Core.Caching;
using NetLlm.Transformers.Attention;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Transformers.Modeling;

/// <summary>
/// The <see cref="IBackbone"/> behaviour shared by every family: checks the input, embeds token ids, converts
/// embeddings to the compute dtype and device, merges the caller's attention mask with the cache's, runs the
/// family's <see cref="ICausalLm"/>, and commits the cache once per forward pass. Owns the module and disposes it.
/// </summary>
public abstract class CausalLmBackbone : IBackbone, IGradientCheckpointing
{
    private readonly ICausalLm _lm;
    private bool _disposed;

    /// <summary>Wraps a built (and loaded) model; takes ownership of <paramref name="module"/>.</summary>
    /// <param name="module">Root module (state-dict names = checkpoint names).</param>
    /// <param name="lm">The forward pass (usually <paramref name="module"/> itself, or its language model).</param>
    /// <param name="info">Architecture facts.</param>
    /// <param name="positionEncoding">How positions are encoded.</param>
    /// <param name="dtype">Compute dtype.</param>
    /// <param name="device">Parameter device.</param>
    protected CausalLmBackbone(nn.Module module, ICausalLm lm, BackboneInfo info, PositionEncoding positionEncoding, ScalarType dtype, Device device)
    {
        Module = module ?? throw new ArgumentNullException(nameof(module));
        _lm = lm ?? throw new ArgumentNullException(nameof(lm));
        Info = info ?? throw new ArgumentNullException(nameof(info));
        PositionEncoding = positionEncoding;
        ComputeDType = dtype;
        Device = device;
    }

    /// <inheritdoc />
    public BackboneInfo Info { get; }

    /// <inheritdoc />
    public int HiddenSize => _lm.EmbeddingWidth;

    /// <inheritdoc />
    public nn.Module Module { get; }

    /// <inheritdoc />
    public Device Device { get; }

    /// <inheritdoc />
    public ScalarType ComputeDType { get; }

    /// <inheritdoc />
    public PositionEncoding PositionEncoding { get; }

    /// <inheritdoc />
    public bool GradientCheckpointing { get; set; }

    /// <inheritdoc />
    public BackboneOutput Forward(BackboneInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var (batch, tokens) = CheckInput(input);
        var cache = input.Cache;
        var past = cache?.Length ?? 0;
        if (input.OutputLogits && !_lm.HasLmHead)
        {
            throw new InvalidOperationException($"{Info.Architecture} has no language-model head; logits are not available");
        }

        using var scope = NewDisposeScope();
        var embeds = input.InputIds is { } ids
            ? _lm.EmbedTokens(ids.to(Device).to_type(ScalarType.Int64))
            : input.InputsEmbeds!.to(ComputeDType, Device);
        var fullMask = FullMask(input.AttentionMask, cache, batch, tokens, past);
        var select = OutputPositions(input, batch, tokens);
        var output = _lm.Run(new DecoderInput
        {
            InputsEmbeds = embeds,
            AttentionMask = fullMask,
            PositionIds = input.PositionIds,
            StartPosition = cache?.NextPosition ?? 0,
            PastLength = past,
            Cache = cache,
            OutputHiddenStates = input.OutputHiddenStates,
            Checkpoint = GradientCheckpointing && cache is null && Module.training && is_grad_enabled(),
            OutputLogits = input.OutputLogits,
            OutputPositions = _lm.SelectsOutputPositions ? select : null,
        });
        if (select is not null && !_lm.SelectsOutputPositions)
        {
            var last = output.LastHiddenState;
            output = new BackboneOutput(QuerySelection.Rows(last, select), output.HiddenStates, output.Logits);
            last.Dispose();
        }

        if (cache is not null)
        {
            using var newMask = fullMask?.narrow(1, past, tokens);
            cache.Commit(newMask, tokens);
        }

        output.LastHiddenState.MoveToOuterDisposeScope();
        output.Logits?.MoveToOuterDisposeScope();
        if (output.HiddenStates is not null)
        {
            foreach (var h in output.HiddenStates)
            {
                h.MoveToOuterDisposeScope();
            }
        }

        return output;
    }

    /// <inheritdoc />
    public Tensor EmbedTokens(Tensor inputIds)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        using var scope = NewDisposeScope();
        return _lm.EmbedTokens(inputIds.to(Device).to_type(ScalarType.Int64)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public IKvCache CreateCache() => new DynamicKvCache(_lm.NumLayers);

    /// <summary>Releases the module (and whatever the family adds in <see cref="Dispose(bool)"/>).</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources.</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (disposing)
        {
            Module.Dispose();
        }
    }

    private Tensor? OutputPositions(BackboneInput input, long batch, int tokens)
    {
        if (input.OutputPositions is not { } positions)
        {
            return null;
        }

        if (positions.dim() != 2 || positions.shape[0] != batch || !IsInteger(positions.dtype) || positions.shape[1] < 1)
        {
            throw new ArgumentException($"OutputPositions must be an integer tensor [{batch}, P] with P >= 1, got {positions.dtype} {Shape(positions)}", nameof(input));
        }

        if (input.Cache is not null || input.OutputHiddenStates || input.OutputLogits)
        {
            throw new ArgumentException("OutputPositions cannot be combined with a cache, hidden states or logits", nameof(input));
        }

        var select = positions.to(Device).to_type(ScalarType.Int64);
        if (select.min().item<long>() < 0 || select.max().item<long>() >= tokens)
        {
            throw new ArgumentException($"OutputPositions must lie in 0..{tokens - 1}", nameof(input));
        }

        return select;
    }

    private (long Batch, int Tokens) CheckInput(BackboneInput input)
    {
        if ((input.InputIds is null) == (input.InputsEmbeds is null))
        {
            throw new ArgumentException("exactly one of InputIds and InputsEmbeds must be set", nameof(input));
        }

        long batch;
        long tokens;
        if (input.InputIds is { } ids)
        {
            if (ids.dim() != 2 || !IsInteger(ids.dtype))
            {
                throw new ArgumentException($"InputIds must be an integer tensor [batch, tokens], got {ids.dtype} {Shape(ids)}", nameof(input));
            }

            (batch, tokens) = (ids.shape[0], ids.shape[1]);
        }
        else
        {
            var e = input.InputsEmbeds!;
            if (e.dim() != 3 || e.shape[2] != HiddenSize || !e.is_floating_point())
            {
                throw new ArgumentException($"InputsEmbeds must be a floating tensor [batch, tokens, {HiddenSize}], got {e.dtype} {Shape(e)}", nameof(input));
            }

            (batch, tokens) = (e.shape[0], e.shape[1]);
        }

        if (tokens < 1)
        {
            throw new ArgumentException("the input has no tokens", nameof(input));
        }

        if (input.PositionIds is { } pos && (pos.dim() != 2 || pos.shape[0] != batch || pos.shape[1] != tokens || !IsInteger(pos.dtype)))
        {
            throw new ArgumentException($"PositionIds must be an integer tensor [{batch}, {tokens}], got {pos.dtype} {Shape(pos)}", nameof(input));
        }

        if (input.AttentionMask is { } mask && (mask.dim() != 2 || mask.shape[0] != batch))
        {
            throw new ArgumentException($"AttentionMask must be [{batch}, tokens] or [{batch}, past + tokens], got {Shape(mask)}", nameof(input));
        }

        return (batch, checked((int)tokens));
    }

    private Tensor? FullMask(Tensor? mask, IKvCache? cache, long batch, int tokens, int past)
    {
        var pastMask = cache?.Mask;
        if (pastMask is not null && pastMask.shape[0] != batch)
        {
            throw new ArgumentException($"the cache holds a batch of {pastMask.shape[0]} but the input has {batch} rows");
        }

        Tensor? full;
        if (mask is null)
        {
            if (pastMask is null)
            {
                return null;
            }

            full = cat([pastMask.to(Device), ones(batch, tokens, dtype: ScalarType.Int64, device: Device)], 1);
        }
        else
        {
            var m = mask.to(Device).ne(0).to_type(ScalarType.Int64);
            if (m.shape[1] == past + tokens)
            {
                full = m;
            }
            else if (m.shape[1] == tokens)
            {
                var before = pastMask is not null ? pastMask.to(Device) : ones(batch, past, dtype: ScalarType.Int64, device: Device);
                full = past == 0 ? m : cat([before, m], 1);
            }
            else
            {
                throw new ArgumentException($"AttentionMask covers {m.shape[1]} positions; expected {tokens} (new tokens) or {past + tokens} (cached + new)");
            }
        }

        return full.all().item<bool>() ? null : full;
    }

    private static bool IsInteger(ScalarType t) => t is ScalarType.Int64 or ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte;

    private static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";
}
