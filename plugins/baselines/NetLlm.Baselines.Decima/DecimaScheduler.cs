using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.JobScheduling;
using NetLlm.Tasks.JobScheduling.Model;
using static TorchSharp.torch;

namespace NetLlm.Baselines.Decima;

/// <summary>
/// The pretrained Decima scheduler: encodes the observation with its GNN, picks a schedulable stage from the
/// softmax of the stage scores, then an executor count from the softmax of the executor scores of that stage's job
/// (counts 1 .. the job's commit cap). Sampling as the original (its own seeded stream instead of Python's global
/// <c>random</c>), or greedy with <c>argmax</c>. Owns its actor module.
/// </summary>
public sealed class DecimaScheduler : IPolicy<CjsObservation, CjsAction>
{
    private readonly DecimaActor _actor;
    private readonly Random _random;

    /// <summary>Creates the scheduler around a loaded actor (it takes ownership).</summary>
    /// <param name="actor">The actor with its weights.</param>
    /// <param name="seed">Seed of the sampling stream.</param>
    /// <param name="argmax">Pick the highest score instead of sampling.</param>
    public DecimaScheduler(DecimaActor actor, int seed, bool argmax)
    {
        _actor = actor ?? throw new ArgumentNullException(nameof(actor));
        _actor.eval();
        _random = new Random(seed);
        Argmax = argmax;
    }

    /// <summary>True when decisions are greedy.</summary>
    public bool Argmax { get; }

    /// <inheritdoc />
    public string Id => "cjs.decima";

    /// <inheritdoc />
    public void BeginEpisode()
    {
    }

    /// <inheritdoc />
    public CjsAction Act(CjsObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (observation.SchedulableCount == 0)
        {
            return CjsAction.None(observation);
        }

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var batch = CjsGraphs.Batch([observation]);
        using var h = _actor.Encoder.forward(batch);
        var stage = Choose(_actor.StageScores(observation, batch, h));
        var job = observation.JobOfNode(observation.SchedulableNodes[stage]);
        var executors = Choose(_actor.ExecutorScores(observation, batch, h, job));
        return new CjsAction(stage, executors + 1);
    }

    /// <inheritdoc />
    public void Dispose() => _actor.Dispose();

    private int Choose(Tensor scores)
    {
        var values = scores.data<float>().ToArray();
        return Argmax ? SoftmaxSampler.Argmax(values) : SoftmaxSampler.Sample(values, _random);
    }
}
