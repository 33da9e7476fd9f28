using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Models;
using Sample.NetLlmDecisionTask.Environment;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sample.NetLlmDecisionTask.Model;

/// <summary>
/// The task's part of the NetLLM decision model. Segment 0 (the only one: an action has one component) is the tokens
/// of the <c>history</c> slot's encoder for the capacities <c>[n, links, history]</c> (divided by the capacity scale),
/// followed by one token for the current link (<c>Linear(links, d)</c> of its one-hot). Actions are embedded by
/// <c>Linear(links, d)</c> of their one-hot. Every link is always a valid choice.
/// </summary>
public sealed class LinkTokenizer : IDecisionTokenizer<LinkObservation>
{
    /// <summary>The encoder slot of the capacity history.</summary>
    public const string HistorySlot = "history";

    private readonly IModalityEncoder<Tensor> _history;
    private readonly Linear _link;
    private readonly Linear _action;
    private readonly float _scale;

    /// <summary>Creates the tokenizer (after the slot encoders, before the heads).</summary>
    /// <param name="context">Token width and the slot encoders.</param>
    /// <param name="options">Model options.</param>
    public LinkTokenizer(ModelContext context, LinkModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        _history = context.Encoder<IModalityEncoder<Tensor>>(HistorySlot);
        _scale = (float)options.CapacityScale;
        _link = nn.Linear(LinkConstants.Links, context.EmbeddingDim);
        _action = nn.Linear(LinkConstants.Links, context.EmbeddingDim);
        Modules = [new("link_token", _link), new("action_embed", _action)];
    }

    /// <inheritdoc />
    public IReadOnlyList<KeyValuePair<string, nn.Module>> Modules { get; }

    /// <inheritdoc />
    public SegmentTokens EncodeSegment(int component, IReadOnlyList<LinkObservation> observations, IReadOnlyList<int[]> prefixes)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (component != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(component), component, "a link action has one component");
        }

        using var scope = NewDisposeScope();
        var n = observations.Count;
        var history = new float[n * LinkConstants.Links * LinkConstants.History];
        for (var i = 0; i < n; i++)
        {
            observations[i].History.CopyTo(history, i * LinkConstants.Links * LinkConstants.History);
        }

        var series = tensor(history).view(n, LinkConstants.Links, LinkConstants.History) / _scale;
        var historyTokens = _history.Encode(series);
        var link = _link.forward(OneHot(observations.Select(o => o.Current).ToList())).unsqueeze(1);
        var tokens = cat([historyTokens, link], 1);
        var length = checked((int)tokens.shape[1]);
        return new SegmentTokens(tokens.MoveToOuterDisposeScope(), Enumerable.Repeat(length, n).ToArray());
    }

    /// <inheritdoc />
    public Tensor? ValidChoices(int component, IReadOnlyList<LinkObservation> observations, IReadOnlyList<int[]> prefixes) => null;

    /// <inheritdoc />
    public Tensor EmbedAction(IReadOnlyList<LinkObservation> observations, IReadOnlyList<int[]> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        using var scope = NewDisposeScope();
        return _action.forward(OneHot(actions.Select(a => a[0]).ToList())).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The engine registered Modules in the task model, which owns and disposes them.
    }

    private static Tensor OneHot(IReadOnlyList<int> links)
    {
        var values = new float[links.Count * LinkConstants.Links];
        for (var i = 0; i < links.Count; i++)
        {
            values[(i * LinkConstants.Links) + links[i]] = 1;
        }

        return tensor(values).view(links.Count, LinkConstants.Links);
    }
}
