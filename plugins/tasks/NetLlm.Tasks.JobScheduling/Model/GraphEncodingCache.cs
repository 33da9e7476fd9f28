using NetLlm.Tasks.JobScheduling.Graph;
using static TorchSharp.torch;

namespace NetLlm.Tasks.JobScheduling.Adaptation;

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
    private GraphBatch? _batch;
    private DagGnnOutput? _output;

    /// <summary>The encoding of <paramref name="states"/>, computed with <paramref name="encoder"/> on a miss.</summary>
    public (GraphBatch Batch, DagGnnOutput Output) Get(IReadOnlyList<CjsObservation> states, DagGnnEncoder encoder, Device device)
    {
        var grad = is_grad_enabled();
        if (_batch is not null && _output is not null && grad == _grad && Same(states))
        {
            return (_batch, _output);
        }

        Clear();
        var batch = GraphBatch.Create(states, device);
        DagGnnOutput output;
        try
        {
            output = encoder.forward(batch);
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
