using System.Text.Json.Nodes;
using NetLlm.Abstractions.Environments;
using NetLlm.Abstractions.Tasks;
using Sample.NetLlmDecisionTask.Environment;

namespace Sample.NetLlmDecisionTask.Scoring;

/// <summary>
/// The task's metric over one run: the mean throughput per step (Mbit/s) over all episodes; its components are the
/// share of steps that switched links and the throughput lost to switching. One item per episode (its trace and mean
/// throughput).
/// </summary>
public sealed class LinkRunScorer : IRunScorer<LinkObservation, int>
{
    /// <summary>Component: share of steps that switched link.</summary>
    public const string SwitchRate = "switch_rate";

    /// <summary>Component: Mbit/s per step lost to switching.</summary>
    public const string SwitchLoss = "switch_loss_mbps";

    private readonly List<ScoredItem> _episodes = [];
    private string _trace = string.Empty;
    private double _episodeReward;
    private int _episodeSteps;
    private double _reward;
    private double _loss;
    private int _switches;
    private int _steps;

    /// <inheritdoc />
    public void BeginEpisode(LinkObservation first, IEnvironment<LinkObservation, int> environment)
    {
        _trace = (environment as LinkEnvironment)?.CurrentTrace.Name ?? $"episode {_episodes.Count}";
        _episodeReward = 0;
        _episodeSteps = 0;
    }

    /// <inheritdoc />
    public void Step(in LinkObservation observation, int action, in StepResult<LinkObservation> step)
    {
        ArgumentNullException.ThrowIfNull(observation);
        _episodeReward += step.Reward;
        _episodeSteps++;
        _reward += step.Reward;
        _steps++;
        if (action != observation.Current)
        {
            _switches++;

            // The capacity of the chosen link in this step is the newest value of the next observation's history.
            _loss += step.Observation.Capacity(action, 1) - step.Reward;
        }
    }

    /// <inheritdoc />
    public void EndEpisode(IEnvironment<LinkObservation, int> environment) =>
        _episodes.Add(new ScoredItem($"{_trace}#{_episodes.Count}", _episodeSteps == 0 ? 0 : _episodeReward / _episodeSteps));

    /// <inheritdoc />
    public RunScore Complete()
    {
        if (_steps == 0)
        {
            throw new InvalidOperationException("no step was scored");
        }

        return new RunScore
        {
            Metric = _reward / _steps,
            Items = _episodes,
            Components = new Dictionary<string, double> { [SwitchRate] = (double)_switches / _steps, [SwitchLoss] = _loss / _steps },
            Details = new JsonObject { ["episodes"] = _episodes.Count, ["steps"] = _steps, ["switches"] = _switches },
        };
    }
}
