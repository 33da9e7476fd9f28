using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Encoders.Modalities;
using static TorchSharp.torch;

namespace NetLlm.Tasks.JobScheduling.Model;

/// <summary>
/// Remembers the graph encoding of the last list of states, so that the stage segment, the executor segment and
/// the logits of the same steps (called one after another by the adaptation loop and the decision context) encode
/// the graphs once. A hit needs the same states (by reference, in order) and the same gradient mode. Owns the
/// cached batch and embeddings; they are released on the next miss or on disposal. The autograd graph keeps what
/// backward needs on its own, so releasing the handles never breaks a pending backward pass.
/// </summary>
internal sealed class GraphEncodingCache : IDisposable
{
    private CjsObservation[] _states = [];
    private bool _grad;
    private DagBatch? _batch;
    private DagEncoding? _output;

    /// <summary>The encoding of <paramref name="states"/>, computed with <paramref name="encoder"/> on a miss.</summary>
    public (DagBatch Batch, DagEncoding Output) Get(IReadOnlyList<CjsObservation> states, IModalityEncoder<DagBatch, DagEncoding> encoder, Device device)
    {
        var grad = is_grad_enabled();
        if (_batch is not null && _output is not null && grad == _grad && Same(states))
        {
            return (_batch, _output);
        }

        Clear();
        var batch = CjsGraphs.Batch(states, device);
        DagEncoding output;
        try
        {
            output = encoder.Encode(batch);
        }
        catch
        {
            batch.Dispose();
            throw;
        }

        output.Node.DetachFromDisposeScope();
        output.Dag.DetachFromDisposeScope();
        output.Global.DetachFromDisposeScope();
        _batch = batch;
        _output = output;
        _grad = grad;
        _states = [.. states];
        return (batch, output);
    }

    /// <summary>Forgets the cached encoding.</summary>
    public void Clear()
    {
        _output?.Dispose();
        _batch?.Dispose();
        _output = null;
        _batch = null;
        _states = [];
    }

    /// <inheritdoc />
    public void Dispose() => Clear();

    private bool Same(IReadOnlyList<CjsObservation> states)
    {
        if (states.Count != _states.Length)
        {
            return false;
        }

        for (var i = 0; i < _states.Length; i++)
        {
            if (!ReferenceEquals(states[i], _states[i]))
            {
                return false;
            }
        }

        return true;
    }
}
