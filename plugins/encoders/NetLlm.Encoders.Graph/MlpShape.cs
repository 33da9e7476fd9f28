namespace NetLlm.Tasks.JobScheduling.Graph;

/// <summary>Activation between the layers of a <see cref="GraphMlp"/>.</summary>
public enum MlpActivation
{
    /// <summary>LeakyReLU with negative slope 0.2 (the GNN MLPs of Decima and NetLLM).</summary>
    LeakyRelu02,

    /// <summary>Tanh (Decima's policy MLPs).</summary>
    Tanh,
}

/// <summary>
/// The layout of an MLP: widths from input to output (<c>[in, hidden..., out]</c>), the activation after every
/// hidden layer, and whether the output layer is activated too.
/// </summary>
/// <param name="Widths">Layer widths, at least two.</param>
/// <param name="Activation">Activation.</param>
/// <param name="ActivateOutput">Apply the activation after the last linear layer as well.</param>
public sealed record MlpShape(IReadOnlyList<int> Widths, MlpActivation Activation, bool ActivateOutput)
{
    /// <summary>Input width.</summary>
    public int Input => Widths[0];

    /// <summary>Output width.</summary>
    public int Output => Widths[^1];

    /// <summary>Throws <see cref="ArgumentException"/> when fewer than two widths or a non-positive width is given.</summary>
    public void Validate()
    {
        if (Widths is null || Widths.Count < 2 || Widths.Any(w => w < 1))
        {
            throw new ArgumentException($"an MLP needs at least two positive widths, got [{string.Join(", ", Widths ?? [])}]");
        }
    }
}

/// <summary>
/// The widths of a <see cref="DagGnnEncoder"/>. Decima and NetLLM share the message passing and differ only in these
/// MLPs: Decima's are <c>in → 32 → 16 → 16</c> with no output activation; NetLLM's have one or two layers, each
/// followed by LeakyReLU.
/// </summary>
/// <param name="NodeFeatures">Node features in (5).</param>
/// <param name="Prep">Node pre-processing MLP (<c>NodeFeatures → e</c>).</param>
/// <param name="Message">Message MLP (<c>e → e</c>).</param>
/// <param name="Update">Update MLP (<c>e → e</c>).</param>
/// <param name="Dag">DAG read-out MLP (<c>NodeFeatures + e → e</c>), summed per job.</param>
/// <param name="Global">Global read-out MLP (<c>e → e</c>), summed per observation.</param>
public sealed record DagGnnShape(int NodeFeatures, MlpShape Prep, MlpShape Message, MlpShape Update, MlpShape Dag, MlpShape Global)
{
    /// <summary>Embedding width e.</summary>
    public int EmbeddingDim => Prep.Output;

    /// <summary>Decima (spark-sched-sim <c>decima_tpch.yaml</c>): embed 16, hidden [32, 16], LeakyReLU(0.2).</summary>
    /// <param name="embed">Embedding width.</param>
    public static DagGnnShape Decima(int embed = 16)
    {
        MlpShape Mlp(int input) => new([input, 32, 16, embed], MlpActivation.LeakyRelu02, ActivateOutput: false);
        return new DagGnnShape(CjsObservation.FeatureCount, Mlp(CjsObservation.FeatureCount), Mlp(embed), Mlp(embed), Mlp(CjsObservation.FeatureCount + embed), Mlp(embed));
    }

    /// <summary>NetLLM's CJS state encoder: hidden sfd/2 = 128, embedding sfd = 256 by default.</summary>
    /// <param name="hidden">Hidden width of the node pre-processing MLP.</param>
    /// <param name="embed">Embedding width (sfd).</param>
    public static DagGnnShape NetLlm(int hidden = 128, int embed = 256)
    {
        const MlpActivation act = MlpActivation.LeakyRelu02;
        var f = CjsObservation.FeatureCount;
        return new DagGnnShape(
            f,
            new MlpShape([f, hidden, embed], act, true),
            new MlpShape([embed, embed], act, true),
            new MlpShape([embed, embed], act, true),
            new MlpShape([f + embed, embed], act, true),
            new MlpShape([embed, embed], act, true));
    }

    /// <summary>Throws <see cref="ArgumentException"/> when the widths do not fit together.</summary>
    public void Validate()
    {
        foreach (var m in new[] { Prep, Message, Update, Dag, Global })
        {
            m.Validate();
        }

        var e = EmbeddingDim;
        if (Prep.Input != NodeFeatures || Message.Input != e || Message.Output != e || Update.Input != e || Update.Output != e
            || Dag.Input != NodeFeatures + e || Dag.Output != e || Global.Input != e || Global.Output != e)
        {
            throw new ArgumentException($"DAG GNN widths do not fit: features {NodeFeatures}, embedding {e}, prep {Prep.Input}->{Prep.Output}, message {Message.Input}->{Message.Output}, update {Update.Input}->{Update.Output}, dag {Dag.Input}->{Dag.Output}, global {Global.Input}->{Global.Output}");
        }
    }
}
