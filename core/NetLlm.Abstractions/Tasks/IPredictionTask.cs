using NetLlm.Abstractions.Models;

namespace NetLlm.Abstractions.Tasks;

/// <summary>
/// A prediction task (VP): a dataset of samples, what a predictor sees of a sample, the metric over predictions, and
/// the NetLLM model it is adapted with (encoders, head, loss). The engine runs adapt, test and eval through it;
/// predictors (baselines and adapted runs) are policies from <typeparamref name="TInput"/> to <typeparamref name="TPrediction"/>.
/// </summary>
/// <typeparam name="TSample">A sample: input and ground truth.</typeparam>
/// <typeparam name="TInput">What a predictor sees (the input without the ground truth).</typeparam>
/// <typeparam name="TPrediction">A prediction.</typeparam>
/// <typeparam name="TOptions">The task's options record.</typeparam>
/// <typeparam name="TModelOptions">Options of the task's NetLLM model (recorded in the run directory).</typeparam>
public interface IPredictionTask<TSample, TInput, TPrediction, TOptions, TModelOptions> : ITask
    where TOptions : class, new()
    where TModelOptions : class, new()
{
    /// <summary>Loads a split; throws <see cref="InvalidDataException"/> naming file and line for bad data.</summary>
    /// <param name="options">The options.</param>
    /// <param name="split">Which split (<see cref="DataSplit.Configured"/>: the one the options name).</param>
    /// <param name="context">Data root, cancellation.</param>
    PredictionData<TSample> Load(TOptions options, DataSplit split, TaskContext context);

    /// <summary>What a predictor sees of <paramref name="sample"/>.</summary>
    /// <param name="sample">The sample.</param>
    TInput InputOf(TSample sample);

    /// <summary>Scores predictions against the samples' ground truth.</summary>
    /// <param name="samples">The samples.</param>
    /// <param name="predictions">One prediction per sample, in order.</param>
    /// <param name="context">What is scored.</param>
    RunScore Score(IReadOnlyList<TSample> samples, IReadOnlyList<TPrediction> predictions, ScoringContext context);

    /// <summary>The NetLLM model for these model options: encoder slots, heads and the model.</summary>
    /// <param name="options">Model options.</param>
    PredictionModelDesign<TSample, TInput, TPrediction> DesignModel(TModelOptions options);
}
