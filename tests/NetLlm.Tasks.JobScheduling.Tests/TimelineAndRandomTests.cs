using NetLlm.Tasks.JobScheduling.Simulation;

namespace NetLlm.Tasks.JobScheduling.Tests;

/// <summary>The event heap's order and the random stream's integer draws.</summary>
public sealed class TimelineAndRandomTests
{
    [Fact]
    public void Timeline_PopsByTimeThenInsertionOrder()
    {
        var timeline = new SimTimeline();
        var random = new Random(11);
        var pushed = new List<(double Time, int Id)>();
        for (var i = 0; i < 500; i++)
        {
            // Few distinct times, so ties are common.
            var time = random.Next(20) * 10.0;
            pushed.Add((time, i));
            timeline.Push(time, new SimEvent(SimEventKind.TaskCompletion, i, 0));
        }

        var expected = pushed.OrderBy(p => p.Time).ThenBy(p => p.Id).ToList();
        var popped = new List<(double Time, int Id)>();
        while (timeline.Count > 0)
        {
            Assert.True(timeline.TryPeekTime(out var peek));
            var e = timeline.Pop(out var time);
            Assert.Equal(peek, time);
            popped.Add((time, e.Stage));
        }

        Assert.Equal(expected, popped);
        Assert.False(timeline.TryPeekTime(out _));
        Assert.Throws<InvalidOperationException>(() => timeline.Pop(out _));
    }

    [Fact]
    public void Timeline_InterleavedPushAndPop_KeepsOrder()
    {
        var timeline = new SimTimeline();
        var random = new Random(3);
        var now = 0.0;
        var last = (Time: -1.0, Seq: -1);
        for (var i = 0; i < 2000; i++)
        {
            timeline.Push(now + random.Next(5), new SimEvent(SimEventKind.ExecutorArrival, i, 1));
            if (i % 3 != 0)
            {
                var e = timeline.Pop(out var time);
                Assert.True(time > last.Time || (time == last.Time && e.Stage > last.Seq), $"event {e.Stage} at {time} popped after {last.Seq} at {last.Time}");
                last = (time, e.Stage);
                now = time;
            }
        }
    }

    [Fact]
    public void NextInt_IsUniformAndMatchesTheRejectionRule()
    {
        // Reference: Lemire's rule with the threshold always computed.
        var a = new SimRandom(42);
        var b = new SimRandom(42);
        var counts = new int[7];
        for (var i = 0; i < 70_000; i++)
        {
            var bound = 7UL;
            var threshold = (0UL - bound) % bound;
            ulong product;
            ulong low;
            do
            {
                product = Math.BigMul(b.NextUInt64(), bound, out low);
            }
            while (low < threshold);

            var x = a.NextInt(7);
            Assert.Equal((int)product, x);
            counts[x]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.NextInt(0));
    }
}
