using NetLlm.Encoders.Graph;
using NetLlm.Tasks.JobScheduling;

namespace NetLlm.Baselines.Decima;

/// <summary>The widths of Decima's networks (spark-sched-sim <c>decima_tpch.yaml</c>).</summary>
public static class DecimaShape
{
    /// <summary>Embedding width of the checkpoint.</summary>
    public const int Embedding = 16;

    /// <summary>Decima's DAG GNN: every MLP <c>in → 32 → 16 → embed</c> with LeakyReLU(0.2) between layers.</summary>
    /// <param name="embed">Embedding width.</param>
    public static DagGnnShape Encoder(int embed = Embedding)
    {
        const int f = CjsObservation.FeatureCount;
        MlpShape Mlp(int input) => new([input, 32, 16, embed], MlpActivation.LeakyRelu02, ActivateOutput: false);
        return new DagGnnShape(f, Mlp(f), Mlp(embed), Mlp(embed), Mlp(f + embed), Mlp(embed));
    }

    /// <summary>A policy network scoring one choice from <paramref name="input"/> features: 64-64 with Tanh.</summary>
    /// <param name="input">Input width.</param>
    public static MlpShape Score(int input) => new([input, 64, 64, 1], MlpActivation.Tanh, ActivateOutput: false);
}
