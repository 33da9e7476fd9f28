using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Environments;
using NetLlm.Abstractions.Tasks;
using NetLlm.Tasks.JobScheduling.Simulation;

namespace NetLlm.Tasks.JobScheduling.Scoring;

/// <summary>
/// Scores a CJS run: the average JCT of each episode (the original's metric, <c>avg_jct_s</c>), averaged over the
/// episodes; one item per job and episode (its completion time); details per episode and per job.
/// </summary>
public sealed class CjsScorer : IRunScorer<CjsObservation, CjsAction>
{
    private readonly List<CjsEpisode> _episodes = [];
    private long _start;
    private double _reward;
    private bool _truncated;

    /// <summary>The episodes scored so far.</summary>
    public IReadOnlyList<CjsEpisode> Episodes => _episodes;

    /// <inheritdoc />
    public void BeginEpisode(CjsObservation first, IEnvironment<CjsObservation, CjsAction> environment)
    {
        _start = Stopwatch.GetTimestamp();
        _reward = 0;
        _truncated = false;
    }

    /// <inheritdoc />
    public void Step(in CjsObservation observation, CjsAction action, in StepResult<CjsObservation> step)
    {
        _reward += step.Reward;
        _truncated = step.Truncated;
    }

    /// <inheritdoc />
    public void EndEpisode(IEnvironment<CjsObservation, CjsAction> environment)
    {
        var simulator = environment as SparkSchedulingEnvironment
            ?? throw new ArgumentException($"the CJS scorer reads the simulator's jobs; it cannot score a {environment?.GetType().Name}", nameof(environment));
        _episodes.Add(CjsEpisode.From(simulator, _reward, Stopwatch.GetElapsedTime(_start).TotalSeconds, _truncated));
    }

    /// <inheritdoc />
    public RunScore Complete()
    {
        if (_episodes.Count == 0)
        {
            throw new InvalidOperationException("no CJS episode was scored");
        }

        var jcts = _episodes.Select(e => e.AverageJctSeconds).ToList();
        var single = _episodes.Count == 1;
        var items = _episodes
            .SelectMany((e, k) => e.JobTimes.Select(t => new ScoredItem(single ? $"job {t.Job}" : $"episode {k} job {t.Job}", t.Seconds)))
            .ToList();
        var spread = single ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"; average JCT {jcts.Average():F2} ± {SampleStd(jcts):F2} s over {_episodes.Count} episodes");
        var notes = new List<string>
        {
            $"{_episodes.Sum(e => e.JobsCompleted)} of {_episodes.Sum(e => e.Jobs.Count)} jobs completed in {_episodes.Sum(e => e.Steps)} steps{spread}",
        };
        var truncated = _episodes.Count(e => e.Truncated);
        if (truncated > 0)
        {
            notes.Add($"TRUNCATED: in {truncated} episode(s) the scheduler left every executor idle while jobs waited; unfinished jobs count until then");
        }

        return new RunScore
        {
            Metric = jcts.Average(),
            Items = items,
            Details = Details(jcts),
            Notes = notes,
        };
    }

    /// <summary>Sample standard deviation (0 for fewer than two values).</summary>
    /// <param name="values">Values.</param>
    public static double SampleStd(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count < 2)
        {
            return 0;
        }

        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    private JsonObject Details(IReadOnlyList<double> jcts)
    {
        var perJob = new JsonArray();
        for (var k = 0; k < _episodes.Count; k++)
        {
            foreach (var job in _episodes[k].Jobs)
            {
                perJob.Add(new JsonObject
                {
                    ["episode"] = k,
                    ["id"] = job.Id,
                    ["query"] = job.Query,
                    ["size"] = job.Size,
                    ["tasks"] = job.Tasks,
                    ["arrival_s"] = job.ArrivalMs * 1e-3,
                    ["completion_s"] = job.Completed ? job.CompletionMs * 1e-3 : null,
                    ["jct_s"] = job.Completed ? (job.CompletionMs - job.ArrivalMs) * 1e-3 : null,
                });
            }
        }

        return new JsonObject
        {
            ["avg_jct_s_std"] = SampleStd(jcts),
            ["jobs_completed"] = _episodes.Sum(e => e.JobsCompleted),
            ["jobs_total"] = _episodes.Sum(e => e.Jobs.Count),
            ["truncated_episodes"] = _episodes.Count(e => e.Truncated),
            ["env_steps"] = _episodes.Sum(e => e.Steps),
            ["per_episode"] = new JsonArray(_episodes.Select((e, k) => (JsonNode)new JsonObject
            {
                ["episode"] = k,
                ["avg_jct_s"] = e.AverageJctSeconds,
                ["jobs_completed"] = e.JobsCompleted,
                ["truncated"] = e.Truncated,
                ["env_steps"] = e.Steps,
                ["events"] = e.Events,
                ["total_reward"] = e.TotalReward,
                ["wall_s"] = e.WallSeconds,
            }).ToArray()),
            ["per_job"] = perJob,
        };
    }
}
