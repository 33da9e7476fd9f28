using NetLlm.Abstractions.Models;
using NetLlm.Core.Adaptation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Adaptation.Tests.Toy;

/// <summary>
/// Encoders and heads of the toy task. Segment 0: one token from the one-hot "good" action (two tokens when the step
/// is even, to exercise variable token counts). Segment 1 (two-component variant): one token from the cue and the
/// chosen first component. Heads: Linear(d, 3) and Linear(d, 2); the second head masks choice 1 on steps divisible by
/// 5, to exercise masking.
/// </summary>
public sealed class ToyModel : nn.Module, IDecisionModel<ToyState>
{
#pragma warning disable IDE1006
    private readonly Linear state_token;
    private readonly Linear extra_token;
    private readonly Linear cue_token;
    private readonly Linear action_embed;
    private readonly Linear head0;
    private readonly Linear head1;
#pragma warning restore IDE1006
    private readonly bool _two;

    public ToyModel(int d, bool twoComponents)
        : base("ToyModel")
    {
        _two = twoComponents;
        EmbeddingDim = d;
        state_token = nn.Linear(3, d);
        extra_token = nn.Linear(1, d);
        cue_token = nn.Linear(5, d);
        action_embed = nn.Linear(5, d);
        head0 = nn.Linear(d, 3);
        head1 = nn.Linear(d, 2);
        RegisterComponents();
    }

    public nn.Module Module => this;

    public int EmbeddingDim { get; }

    public int ActionComponents => _two ? 2 : 1;

    public IReadOnlyList<int> ComponentChoices => _two ? [3, 2] : [3];

    public SegmentTokens EncodeSegment(int component, IReadOnlyList<ToyState> states, IReadOnlyList<int[]> actions)
    {
        using var scope = NewDisposeScope();
        var n = states.Count;
        if (component == 0)
        {
            var oneHot = zeros(n, 3);
            var steps = zeros(n, 1);
            for (var i = 0; i < n; i++)
            {
                oneHot[i, states[i].Good] = 1;
                steps[i, 0] = states[i].Step / 10f;
            }

            var first = state_token.forward(oneHot).unsqueeze(1);
            var second = extra_token.forward(steps).unsqueeze(1);
            var tokens = cat([first, second], 1);
            var lengths = states.Select(s => s.Step % 2 == 0 ? 2 : 1).ToArray();
            return new SegmentTokens(tokens.MoveToOuterDisposeScope(), lengths);
        }

        var cue = zeros(n, 5);
        for (var i = 0; i < n; i++)
        {
            cue[i, states[i].Cue] = 1;
            cue[i, 2 + actions[i][0]] = 1;
        }

        return new SegmentTokens(cue_token.forward(cue).unsqueeze(1).MoveToOuterDisposeScope(), Enumerable.Repeat(1, n).ToArray());
    }

    public Tensor Logits(int component, Tensor hidden, IReadOnlyList<ToyState> states, IReadOnlyList<int[]> actions)
    {
        if (component == 0)
        {
            return head0.forward(hidden);
        }

        using var scope = NewDisposeScope();
        var logits = head1.forward(hidden);
        var mask = zeros(states.Count, 2, dtype: ScalarType.Bool);
        for (var i = 0; i < states.Count; i++)
        {
            mask[i, 1] = states[i].Step % 5 == 0 && states[i].Cue == 0;
        }

        return logits.masked_fill(mask, -1e5f).MoveToOuterDisposeScope();
    }

    public Tensor EmbedAction(IReadOnlyList<ToyState> states, IReadOnlyList<int[]> actions)
    {
        using var scope = NewDisposeScope();
        var x = zeros(states.Count, 5);
        for (var i = 0; i < states.Count; i++)
        {
            x[i, actions[i][0]] = 1;
            if (_two)
            {
                x[i, 3 + actions[i][1]] = 1;
            }
        }

        return action_embed.forward(x).MoveToOuterDisposeScope();
    }
}
