using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.JobScheduling;

namespace NetLlm.Baselines.RandomScheduling;

/// <summary>
/// The original's random scheduler: picks random jobs until one has a schedulable stage (frontier first), and a
/// uniform executor count from 1 to the committable executors. Its random stream is seeded once at creation.
/// </summary>
public sealed class RandomScheduler : IPolicy<CjsObservation, CjsAction>
{
    private readonly Random _random;
    private readonly List<int> _jobs = [];

    /// <summary>Creates the scheduler.</summary>
    /// <param name="seed">Seed of its random stream.</param>
    public RandomScheduler(int seed)
    {
        _random = new Random(seed);
    }

    /// <inheritdoc />
    public string Id => "cjs.random";

    /// <inheritdoc />
    public void BeginEpisode()
    {
    }

    /// <inheritdoc />
    public CjsAction Act(CjsObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        _jobs.Clear();
        for (var j = 0; j < observation.JobCount; j++)
        {
            _jobs.Add(j);
        }

        var stage = -1;
        while (_jobs.Count > 0)
        {
            var k = _random.Next(_jobs.Count);
            stage = FrontierStageFinder.Find(observation, _jobs[k]);
            if (stage != -1)
            {
                break;
            }

            _jobs.RemoveAt(k);
        }

        var executors = 1 + _random.Next(Math.Max(1, observation.CommittableExecutors));
        return new CjsAction(stage, executors);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
