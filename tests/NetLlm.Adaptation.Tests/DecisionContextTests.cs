using NetLlm.Abstractions.Backbones;
using NetLlm.Adaptation.Tests.Toy;
using NetLlm.Core.Adaptation;
using static TorchSharp.torch;

namespace NetLlm.Adaptation.Tests;

/// <summary>
/// One decision with the KV cache costs one forward pass over the new tokens and must give the same logits as running
/// the whole context window in the training layout — also after the window starts to slide.
/// </summary>
public sealed class DecisionContextTests
{
    public static TheoryData<string, bool, int> Cases => new()
    {
        { "llama", true, 4 },
        { "llama", false, 3 },
        { "gpt2", true, 4 },
        { "llama", true, 1 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void CachedDecisions_EqualTheTrainingLayoutOverTheWindow(string family, bool twoComponents, int window)
    {
        manual_seed(11);
        using var backbone = family == "llama" ? TestBackbones.Llama(seed: 7) : TestBackbones.Gpt2(seed: 7);
        backbone.Module.eval();
        using var model = new ReturnConditionedModel<ToyState>(new ToyModel(32, twoComponents), maxTimestep: 20);
        model.eval();
        using var cached = new DecisionContext<ToyState>(model, backbone, window);
        using var recompute = new DecisionContext<ToyState>(model, backbone, window, recompute: true);
        var random = new Random(5);
        var states = new List<ToyState>();
        var actions = new List<int[]>();
        var targets = new List<float>();
        for (var t = 0; t < 11; t++)
        {
            var state = new ToyState(random.Next(3), random.Next(2), t);
            var target = 0.008 - (0.0005 * t);
            var a = cached.Decide(state, t, target, (_, logits) => Array.IndexOf(logits, logits.Max()));
            var b = recompute.Decide(state, t, target, (_, logits) => Array.IndexOf(logits, logits.Max()));
            Assert.Equal(a, b);
            states.Add(state);
            actions.Add(a);
            targets.Add((float)target);
            Assert.Equal(Math.Min(t + 1, window), cached.Steps);

            var start = Math.Max(0, t - window + 1);
            var length = t - start + 1;
            var batch = new DecisionBatch<ToyState>(
                states.Skip(start).ToList(),
                actions.Skip(start).ToList(),
                targets.Skip(start).ToArray(),
                Enumerable.Range(start, length).Select(x => (long)x).ToArray(),
                [length]);
            using var noGrad = no_grad();
            var reference = model.ComponentLogits(backbone, batch);
            for (var j = 0; j < reference.Count; j++)
            {
                using var last = reference[j][length - 1];
                Assert.True(cached.LastLogits[j].allclose(last, rtol: 1e-4, atol: 1e-4), $"{family} step {t} component {j}: cached {Show(cached.LastLogits[j])} vs layout {Show(last)}");
                Assert.True(recompute.LastLogits[j].allclose(last, rtol: 1e-4, atol: 1e-4), $"{family} step {t} component {j}: recomputed differs");
                reference[j].Dispose();
            }
        }
    }

    [Fact]
    public void Reset_StartsAnEmptyContext()
    {
        using var backbone = TestBackbones.Llama();
        using var model = new ReturnConditionedModel<ToyState>(new ToyModel(32, false), maxTimestep: 8);
        using var context = new DecisionContext<ToyState>(model, backbone, 4);
        context.Decide(new ToyState(1, 0, 0), 0, 0.01, (_, l) => 0);
        context.Decide(new ToyState(2, 0, 1), 1, 0.01, (_, l) => 0);
        Assert.Equal(2, context.Steps);
        context.Reset();
        Assert.Equal(0, context.Steps);
        var first = context.Decide(new ToyState(1, 0, 0), 0, 0.01, (_, l) => Array.IndexOf(l, l.Max()));
        using var fresh = new DecisionContext<ToyState>(model, backbone, 4);
        var again = fresh.Decide(new ToyState(1, 0, 0), 0, 0.01, (_, l) => Array.IndexOf(l, l.Max()));
        Assert.Equal(again, first);
        Assert.True(context.LastLogits[0].allclose(fresh.LastLogits[0], rtol: 1e-5, atol: 1e-5));
    }

    private static string Show(Tensor t) => "[" + string.Join(", ", t.data<float>().ToArray().Select(v => v.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture))) + "]";
}
