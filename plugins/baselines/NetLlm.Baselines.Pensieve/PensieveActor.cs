using System.Runtime.InteropServices;
using NetLlm.Core.IO;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Baselines.Pensieve;

/// <summary>
/// The Pensieve A3C actor of GENET and the UDR models (data/abr/models/README.md), evaluated in float32 managed code
/// (109,187 parameters; no tensors, nothing to dispose). Weights come from <c>actor.safetensors</c> in the original
/// TensorFlow layouts. The three conv branches see a length-1 input with 6 channels, so only kernel tap 1 ever
/// touches data: each is exactly <c>x[6] · W[1, 0] + b</c>.
/// </summary>
public sealed class PensieveActor
{
    /// <summary>Hidden width of every branch.</summary>
    public const int Hidden = 128;

    /// <summary>Actions: down, stay, up one level.</summary>
    public const int Actions = 3;

    private const int Merged = 6 * Hidden;
    private readonly float[] _fc0W;
    private readonly float[] _fc0B;
    private readonly float[] _fc1W;
    private readonly float[] _fc1B;
    private readonly float[] _conv0W;
    private readonly float[] _conv0B;
    private readonly float[] _conv1W;
    private readonly float[] _conv1B;
    private readonly float[] _conv2W;
    private readonly float[] _conv2B;
    private readonly float[] _fc2W;
    private readonly float[] _fc2B;
    private readonly float[] _fc3W;
    private readonly float[] _fc3B;
    private readonly float[] _fc4W;
    private readonly float[] _fc4B;
    private readonly float[] _merged = new float[Merged];
    private readonly float[] _dense = new float[Hidden];

    private PensieveActor(SafetensorsFile file)
    {
        Source = file.Path;
        _fc0W = Read(file, "actor/FullyConnected/W", [1, Hidden]);
        _fc0B = Read(file, "actor/FullyConnected/b", [Hidden]);
        _fc1W = Read(file, "actor/FullyConnected_1/W", [1, Hidden]);
        _fc1B = Read(file, "actor/FullyConnected_1/b", [Hidden]);
        _conv0W = ConvTap(file, "actor/Conv1D/W");
        _conv0B = Read(file, "actor/Conv1D/b", [Hidden]);
        _conv1W = ConvTap(file, "actor/Conv1D_1/W");
        _conv1B = Read(file, "actor/Conv1D_1/b", [Hidden]);
        _conv2W = ConvTap(file, "actor/Conv1D_2/W");
        _conv2B = Read(file, "actor/Conv1D_2/b", [Hidden]);
        _fc2W = Read(file, "actor/FullyConnected_2/W", [1, Hidden]);
        _fc2B = Read(file, "actor/FullyConnected_2/b", [Hidden]);
        _fc3W = Read(file, "actor/FullyConnected_3/W", [Merged, Hidden]);
        _fc3B = Read(file, "actor/FullyConnected_3/b", [Hidden]);
        _fc4W = Read(file, "actor/FullyConnected_4/W", [Hidden, Actions]);
        _fc4B = Read(file, "actor/FullyConnected_4/b", [Actions]);
    }

    /// <summary>The weights file.</summary>
    public string Source { get; }

    /// <summary>Loads an actor; a missing tensor, wrong dtype or shape throws naming the file and tensor.</summary>
    /// <param name="path"><c>actor.safetensors</c>.</param>
    public static PensieveActor Load(string path)
    {
        using var file = SafetensorsFile.Open(path);
        return new PensieveActor(file);
    }

    /// <summary>
    /// Action probabilities (down, stay, up) for an observation's state, in float32 as the TensorFlow graph computes them.
    /// </summary>
    /// <param name="observation">The observation.</param>
    /// <param name="probabilities">Receives 3 probabilities.</param>
    public void Probabilities(in AbrObservation observation, Span<float> probabilities)
    {
        Span<float> logits = stackalloc float[Actions];
        Logits(observation, logits);
        var max = MathF.Max(logits[0], MathF.Max(logits[1], logits[2]));
        var sum = 0f;
        for (var a = 0; a < Actions; a++)
        {
            probabilities[a] = MathF.Exp(logits[a] - max);
            sum += probabilities[a];
        }

        for (var a = 0; a < Actions; a++)
        {
            probabilities[a] /= sum;
        }
    }

    /// <summary>Pre-softmax scores of the three actions.</summary>
    /// <param name="observation">The observation.</param>
    /// <param name="logits">Receives 3 values.</param>
    public void Logits(in AbrObservation observation, Span<float> logits)
    {
        const int last = AbrConstants.StateColumns - 1;
        var m = _merged.AsSpan();
        Scalar((float)observation[0, last], _fc0W, _fc0B, m[..Hidden]);
        Scalar((float)observation[1, last], _fc1W, _fc1B, m.Slice(Hidden, Hidden));
        Series(observation, 2, _conv0W, _conv0B, m.Slice(2 * Hidden, Hidden));
        Series(observation, 3, _conv1W, _conv1B, m.Slice(3 * Hidden, Hidden));
        Series(observation, 4, _conv2W, _conv2B, m.Slice(4 * Hidden, Hidden));
        Scalar((float)observation[5, last], _fc2W, _fc2B, m.Slice(5 * Hidden, Hidden));

        var d = _dense.AsSpan();
        _fc3B.CopyTo(d);
        for (var i = 0; i < Merged; i++)
        {
            var x = m[i];
            if (x == 0f)
            {
                continue;
            }

            var row = _fc3W.AsSpan(i * Hidden, Hidden);
            for (var k = 0; k < Hidden; k++)
            {
                d[k] += x * row[k];
            }
        }

        for (var k = 0; k < Hidden; k++)
        {
            d[k] = MathF.Max(d[k], 0f);
        }

        for (var a = 0; a < Actions; a++)
        {
            var z = _fc4B[a];
            for (var k = 0; k < Hidden; k++)
            {
                z += d[k] * _fc4W[(k * Actions) + a];
            }

            logits[a] = z;
        }
    }

    private static void Scalar(float x, float[] w, float[] b, Span<float> into)
    {
        for (var j = 0; j < Hidden; j++)
        {
            into[j] = MathF.Max((x * w[j]) + b[j], 0f);
        }
    }

    private static void Series(in AbrObservation observation, int row, float[] w, float[] b, Span<float> into)
    {
        b.CopyTo(into);
        for (var i = 0; i < AbrConstants.StateColumns; i++)
        {
            var x = (float)observation[row, i];
            var tap = w.AsSpan(i * Hidden, Hidden);
            for (var j = 0; j < Hidden; j++)
            {
                into[j] += x * tap[j];
            }
        }

        for (var j = 0; j < Hidden; j++)
        {
            into[j] = MathF.Max(into[j], 0f);
        }
    }

    private static float[] ConvTap(SafetensorsFile file, string name)
    {
        // [k=4, 1, in=6, out=128]; only tap 1 sees data (TF 'SAME' padding of a length-1 input).
        var all = Read(file, name, [4, 1, AbrConstants.StateColumns, Hidden]);
        return all.AsSpan(AbrConstants.StateColumns * Hidden, AbrConstants.StateColumns * Hidden).ToArray();
    }

    private static float[] Read(SafetensorsFile file, string name, long[] shape)
    {
        var entry = file.Get(name);
        if (entry.DType != TorchSharp.torch.ScalarType.Float32)
        {
            throw new InvalidDataException($"{file.Path}: tensor '{name}' is {entry.DType}, expected float32");
        }

        if (!entry.Shape.SequenceEqual(shape))
        {
            throw new InvalidDataException($"{file.Path}: tensor '{name}' has shape {entry.ShapeText}, expected [{string.Join(", ", shape)}]");
        }

        var bytes = file.ReadBytes(name);
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }
}
