using NetLlm.Abstractions.Environments;
using NetLlm.Testing.Conformance;
using Sample.NetLlmDecisionTask.Data;
using Sample.NetLlmDecisionTask.Environment;
using Sample.NetLlmDecisionTask.Policies;
using Sample.NetLlmDecisionTask.Scoring;

namespace Sample.NetLlmDecisionTask.Tests;

/// <summary>The environment's rewards and episodes, the scorer and the baseline policies, with hand-computed numbers.</summary>
public sealed class EnvironmentTests
{
    // Link 0 always 4 Mbit/s, link 1 always 10, link 2 grows by 1 per step from 0.
    private static LinkTrace Trace(int steps = 20) => new("hand", Enumerable.Range(0, steps).Select(i => new float[] { 4, 10, i }).ToList());

    [Fact]
    public void Step_PaysTheChosenCapacity_MinusTheSwitchCostWhenTheLinkChanges()
    {
        using var environment = new LinkEnvironment([Trace()], steps: 4, switchCost: 0.25);
        var first = environment.Reset(seed: 1).Observation;

        var stay = environment.Step(0);
        var change = environment.Step(1);
        var again = environment.Step(1);
        var last = environment.Step(2);

        Assert.Equal(0, first.Current);
        Assert.Equal(4.0, stay.Reward);
        Assert.Equal(10.0 * 0.75, change.Reward);
        Assert.Equal(10.0, again.Reward);
        Assert.False(again.Done);
        Assert.True(last.Done);
        Assert.Equal(2, last.Observation.Current);
        Assert.Equal(4, last.Observation.Step);
    }

    [Fact]
    public void Observation_HoldsTheLastCapacitiesOfEveryLink()
    {
        using var environment = new LinkEnvironment([Trace(steps: LinkConstants.History + 1)], steps: 5, switchCost: 0.5);

        var first = environment.Reset(seed: 3).Observation;
        var step = environment.Step(2);

        Assert.Equal(1, environment.EpisodeLength);
        Assert.Equal(LinkConstants.History - 1, first.Capacity(2, 1));
        Assert.Equal(10f, first.Capacity(1, LinkConstants.History));
        Assert.Equal(LinkConstants.History, step.Observation.Capacity(2, 1));
        Assert.Equal(LinkConstants.History * 0.5, step.Reward);
        Assert.True(step.Done);
        Assert.Throws<InvalidOperationException>(() => environment.Step(0));
    }

    [Fact]
    public void Step_RejectsAnInvalidLink()
    {
        using var environment = new LinkEnvironment([Trace()], steps: 4, switchCost: 0.5);
        environment.Reset(seed: 1);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => environment.Step(3));

        Assert.Contains("choose a link in 0..2", error.Message);
    }

    [Fact]
    public void Episodes_DependOnTheSeedOnly()
    {
        var traces = LinkTraceGenerator.Generate(2, 60, seed: 1);
        using var a = new LinkEnvironment(traces, 10, 0.5);
        using var b = new LinkEnvironment(traces, 10, 0.5);

        EnvironmentChecks.SameEpisodes(a, b, (x, y) => x.History.SequenceEqual(y.History) && x.Current == y.Current, seed: 5, steps: 40);
        var steps = EnvironmentChecks.SpacesHonoured(a, seed: 2);

        Assert.Equal(10, steps);
    }

    [Fact]
    public void Scorer_AveragesThroughputPerStepAndCountsSwitches()
    {
        using var environment = new LinkEnvironment([Trace()], steps: 4, switchCost: 0.5);
        var scorer = new LinkRunScorer();
        var observation = environment.Reset(seed: 1).Observation;
        scorer.BeginEpisode(observation, environment);
        foreach (var action in new[] { 1, 1, 0, 0 })
        {
            var step = environment.Step(action);
            scorer.Step(observation, action, step);
            observation = step.Observation;
        }

        scorer.EndEpisode(environment);
        var score = scorer.Complete();

        // 10 * 0.5 + 10 + 4 * 0.5 + 4 = 21 over 4 steps; 2 switches lose 5 + 2 Mbit/s.
        Assert.Equal(21.0 / 4, score.Metric, 6);
        Assert.Equal(0.5, score.Components[LinkRunScorer.SwitchRate], 6);
        Assert.Equal(7.0 / 4, score.Components[LinkRunScorer.SwitchLoss], 6);
        Assert.Equal("hand#0", Assert.Single(score.Items).Name);
    }

    [Fact]
    public void Greedy_SwitchesOnlyWhenTheBestLinkBeatsTheCurrentOneByTheMargin()
    {
        var history = new float[LinkConstants.Links * LinkConstants.History];
        void Set(int link, float value) => Array.Fill(history, value, link * LinkConstants.History, LinkConstants.History);
        Set(0, 10);
        Set(1, 11);
        Set(2, 2);
        using var policy = new GreedyLinkPolicy(new GreedyOptions { Margin = 0.2 });
        using var eager = new GreedyLinkPolicy(new GreedyOptions { Margin = 0.05 });

        Assert.Equal(0, policy.Act(new LinkObservation(history, 0, 1)));
        Assert.Equal(1, eager.Act(new LinkObservation(history, 0, 1)));
        Assert.Equal(1, policy.Act(new LinkObservation(history, 2, 1)));
    }

    [Fact]
    public void Random_IsSeededAndUsesEveryLink()
    {
        using var a = new RandomLinkPolicy(3);
        using var b = new RandomLinkPolicy(3);
        var observation = new LinkObservation(new float[LinkConstants.Links * LinkConstants.History], 0, 0);

        var first = Enumerable.Range(0, 60).Select(_ => a.Act(observation)).ToList();
        var second = Enumerable.Range(0, 60).Select(_ => b.Act(observation)).ToList();

        Assert.Equal(first, second);
        Assert.Equal([0, 1, 2], first.Distinct().Order());
    }
}
