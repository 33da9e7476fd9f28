using NetLlm.Abstractions.Models;
using NetLlm.Core.Adaptation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Core.Benchmarks;

/// <summary>
/// A decision model with the ABR token layout for benchmarks: six state tokens per step, each a LeakyReLU MLP of a
/// feature group (sizes 1, 1, 6, 6, 6, 1 as NetLLM's ABR encoder) projected to d, a head over 6 choices and an action
/// embedding. States are plain float arrays of 21 features.
/// </summary>
internal sealed class SyntheticDecisionModel : nn.Module, IDecisionModel<float[]>
{
    private static readonly int[] Groups = [1, 1, 6, 6, 6, 1];
#pragma warning disable IDE1006
    private readonly ModuleList<Sequential> encoders;
    private readonly Linear head;
    private readonly Linear action;
#pragma warning restore IDE1006

    public SyntheticDecisionModel(int d)
        : base("SyntheticDecisionModel")
    {
        EmbeddingDim = d;
        encoders = new ModuleList<Sequential>(Groups.Select(g => nn.Sequential(nn.Linear(g, 256), new NetLlm.Core.Modules.LeakyRelu(), nn.Linear(256, d))).ToArray());
        head = nn.Linear(d, 6);
        action = nn.Linear(1, d);
        RegisterComponents();
    }

    public static int Features => Groups.Sum();

    public nn.Module Module => this;

    public int EmbeddingDim { get; }

    public int ActionComponents => 1;

    public IReadOnlyList<int> ComponentChoices => [6];

    public SegmentTokens EncodeSegment(int component, IReadOnlyList<float[]> states, IReadOnlyList<int[]> actions)
    {
        using var scope = NewDisposeScope();
        var x = tensor(states.SelectMany(s => s).ToArray()).view(states.Count, Features);
        var tokens = new List<Tensor>(Groups.Length);
        var offset = 0;
        for (var g = 0; g < Groups.Length; g++)
        {
            tokens.Add(encoders[g].forward(x.narrow(1, offset, Groups[g])).unsqueeze(1));
            offset += Groups[g];
        }

        return new SegmentTokens(cat(tokens, 1).MoveToOuterDisposeScope(), Enumerable.Repeat(Groups.Length, states.Count).ToArray());
    }

    public Tensor Logits(int component, Tensor hidden, IReadOnlyList<float[]> states, IReadOnlyList<int[]> actions) => head.forward(hidden);

    public Tensor EmbedAction(IReadOnlyList<float[]> states, IReadOnlyList<int[]> actions)
    {
        using var scope = NewDisposeScope();
        var a = tensor(actions.Select(x => (x[0] + 1) / 6f).ToArray()).view(-1, 1);
        return action.forward(a).MoveToOuterDisposeScope();
    }
}
