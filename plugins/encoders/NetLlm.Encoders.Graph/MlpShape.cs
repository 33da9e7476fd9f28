namespace NetLlm.Encoders.Graph;

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
/// MLPs: Decima's are <c>in → 32 → 16 → 16</c> with no output activation (its baseline plugin builds that shape);
/// NetLLM's (<see cref="NetLlm"/>) have one or two layers, each followed by LeakyReLU.
/// </summary>
/// <param name="NodeFeatures">Node features in.</param>
/// <param name="Prep">Node pre-processing MLP (<c>NodeFeatures → e</c>).</param>
/// <param name="Message">Message MLP (<c>e → e</c>).</param>
/// <param name="Update">Update MLP (<c>e → e</c>).</param>
/// <param name="Dag">DAG read-out MLP (<c>NodeFeatures + e → e</c>), summed per DAG.</param>
/// <param name="Global">Global read-out MLP (<c>e → e</c>), summed per observation.</param>
public sealed record DagGnnShape(int NodeFeatures, MlpShape Prep, MlpShape Message, MlpShape Update, MlpShape Dag, MlpShape Global)
{
    /// <summary>Embedding width e.</summary>
    public int EmbeddingDim => Prep.Output;

    /// <summary>NetLLM's CJS state encoder: node features → hidden → e, every other MLP one layer; LeakyReLU(0.2) after each layer.</summary>
    /// <param name="features">Node features.</param>
    /// <param name="hidden">Hidden width of the node pre-processing MLP (128 in NetLLM).</param>
    /// <param name="embed">Embedding width e (NetLLM's sfd, 256).</param>
    public static DagGnnShape NetLlm(int features, int hidden, int embed)
    {
        const MlpActivation act = MlpActivation.LeakyRelu02;
        return new DagGnnShape(
            features,
            new MlpShape([features, hidden, embed], act, true),
            new MlpShape([embed, embed], act, true),
            new MlpShape([embed, embed], act, true),
            new MlpShape([features + embed, embed], act, true),
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
