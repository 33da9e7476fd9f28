using NetLlm.Abstractions.Heads;
using NetLlm.Abstractions.Spaces;
using Sample.NetLlmTask.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sample.NetLlmTask.Model;

/// <summary>
/// Maps a backbone feature to the next throughput in one pass: <c>softplus(Linear(d, 1))</c> is the normalised
/// prediction (never negative), times <see cref="ThroughputModelSettings.ScaleMbps"/> the answer in Mbit/s, capped at
/// <see cref="ThroughputTraceReader.MaxMbps"/>. A regression head: sampled decoding gives the greedy answer.
/// </summary>
public sealed class ThroughputHead : nn.Module<Tensor, Tensor>, ILegacyNetworkingHead<float[]>
{
    private readonly Linear proj;
    private readonly double _scale;

    /// <summary>Creates the head.</summary>
    /// <param name="inputDim">Backbone hidden size.</param>
    /// <param name="scaleMbps">Mbit/s per normalised unit.</param>
    public ThroughputHead(int inputDim, double scaleMbps)
        : base(nameof(ThroughputHead))
    {
        InputDim = inputDim;
        _scale = scaleMbps;
        proj = nn.Linear(inputDim, 1);
        RegisterComponents();
    }

    /// <inheritdoc />
    public int InputDim { get; }

    /// <inheritdoc />
    public nn.Module Module => this;

    /// <inheritdoc />
    public ISpace<float[]> AnswerSpace { get; } = new BoxSpace(0, ThroughputTraceReader.MaxMbps, 1);

    /// <summary>Normalised predictions <c>[batch, 1]</c> (new tensor, caller owns); no validity mask applies.</summary>
    /// <param name="features">Backbone features <c>[batch, InputDim]</c> (borrowed).</param>
    /// <param name="validMask">Ignored: every non-negative throughput is valid.</param>
    public Tensor Forward(Tensor features, Tensor? validMask = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.dim() != 2 || features.shape[1] != InputDim)
        {
            throw new ArgumentException($"throughput head expects [batch, {InputDim}], got [{string.Join(", ", features.shape)}]");
        }

        return forward(features);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return nn.functional.softplus(proj.forward(input.to_type(ScalarType.Float32))).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public IReadOnlyList<float[]> Decode(Tensor features, Tensor? validMask, HeadDecoding decoding)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var mbps = ToMbps(Forward(features, validMask)).cpu();
        return mbps.data<float>().ToArray().Select(v => new[] { v }).ToList();
    }

    /// <summary>Normalised predictions to Mbit/s, capped to the answer space (new tensor, caller owns).</summary>
    /// <param name="normalised">Output of <see cref="Forward"/> (borrowed).</param>
    public Tensor ToMbps(Tensor normalised)
    {
        ArgumentNullException.ThrowIfNull(normalised);
        using var scope = NewDisposeScope();
        return normalised.mul(_scale).clamp(0, ThroughputTraceReader.MaxMbps).MoveToOuterDisposeScope();
    }
}
