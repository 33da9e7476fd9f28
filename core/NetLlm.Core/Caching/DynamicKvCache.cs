using NetLlm.Abstractions.Backbones;
using static TorchSharp.torch;

namespace NetLlm.Core.Caching;

/// <summary>
/// A growing key/value cache: each forward pass appends its keys and values per layer. Owns every tensor it
/// holds (they are detached from any dispose scope and released on mutation or disposal).
/// </summary>
public sealed class DynamicKvCache : IKvCache
{
    private readonly Tensor?[] _keys;
    private readonly Tensor?[] _values;
    private Tensor? _mask;
    private bool _maskIsAllOnes = true;

    /// <summary>Creates an empty cache for <paramref name="layers"/> layers.</summary>
    /// <param name="layers">Number of layers.</param>
    public DynamicKvCache(int layers)
    {
        _keys = new Tensor?[layers];
        _values = new Tensor?[layers];
    }

    /// <inheritdoc />
    public int Length { get; private set; }

    /// <inheritdoc />
    public long NextPosition { get; private set; }

    /// <inheritdoc />
    public Tensor? Mask => _maskIsAllOnes ? null : _mask;

    /// <inheritdoc />
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        var oldK = _keys[layer];
        var oldV = _values[layer];
        var k = oldK is null ? keys.alias() : cat([oldK, keys], 2);
        var v = oldV is null ? values.alias() : cat([oldV, values], 2);
        k.DetachFromDisposeScope();
        v.DetachFromDisposeScope();
        oldK?.Dispose();
        oldV?.Dispose();
        _keys[layer] = k;
        _values[layer] = v;
        return (k, v);
    }

    /// <inheritdoc />
    public void Commit(Tensor? newTokenMask, int newTokens)
    {
        var batch = _keys.FirstOrDefault(k => k is not null)?.shape[0] ?? newTokenMask?.shape[0] ?? 1;
        var newAllOnes = newTokenMask is null || newTokenMask.all().item<bool>();
        if (!(newAllOnes && _maskIsAllOnes))
        {
            var device = newTokenMask?.device ?? _keys.FirstOrDefault(k => k is not null)?.device ?? CPU;
            using var past = _mask is not null ? _mask.alias() : ones(batch, Length, dtype: ScalarType.Int64, device: device);
            using var add = newTokenMask is not null ? newTokenMask.to_type(ScalarType.Int64) : ones(batch, newTokens, dtype: ScalarType.Int64, device: device);
            var combined = cat([past, add], 1);
            combined.DetachFromDisposeScope();
            _mask?.Dispose();
            _mask = combined;
            _maskIsAllOnes = false;
        }
        else if (_mask is not null)
        {
            using var add = ones(batch, newTokens, dtype: ScalarType.Int64, device: _mask.device);
            var combined = cat([_mask, add], 1);
            combined.DetachFromDisposeScope();
            _mask.Dispose();
            _mask = combined;
        }

        Length += newTokens;
        NextPosition += newTokens;
    }

    /// <inheritdoc />
    public void DropFirst(int count)
    {
        if (count <= 0)
        {
            return;
        }

        if (count > Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"cannot drop {count} positions from a cache of {Length}");
        }

        for (var i = 0; i < _keys.Length; i++)
        {
            _keys[i] = Narrow(_keys[i], count);
            _values[i] = Narrow(_values[i], count);
        }

        if (_mask is not null)
        {
            var m = _mask.narrow(1, count, _mask.shape[1] - count).contiguous();
            m.DetachFromDisposeScope();
            _mask.Dispose();
            _mask = m;
            _maskIsAllOnes = _mask.all().item<bool>();
        }

        Length -= count;
    }

    private static Tensor? Narrow(Tensor? t, int count)
    {
        if (t is null)
        {
            return null;
        }

        var n = t.narrow(2, count, t.shape[2] - count).contiguous();
        n.DetachFromDisposeScope();
        t.Dispose();
        return n;
    }

    /// <inheritdoc />
    public void Clear()
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            _keys[i]?.Dispose();
            _values[i]?.Dispose();
            _keys[i] = null;
            _values[i] = null;
        }

        _mask?.Dispose();
        _mask = null;
        _maskIsAllOnes = true;
        Length = 0;
        NextPosition = 0;
    }

    /// <inheritdoc />
    public void Dispose() => Clear();
}
