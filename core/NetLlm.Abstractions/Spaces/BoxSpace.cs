namespace NetLlm.Abstractions.Spaces;

/// <summary>
/// Real vectors of a fixed length with per-element bounds (row-major when <see cref="Shape"/> has several
/// dimensions). Infinite bounds are allowed; <see cref="Sample"/> then draws from a unit normal.
/// </summary>
public sealed class BoxSpace : ISpace<float[]>
{
    /// <summary>Creates a box with the same bounds for every element.</summary>
    /// <param name="low">Lower bound.</param>
    /// <param name="high">Upper bound.</param>
    /// <param name="shape">Shape, for example <c>[6, 6]</c>.</param>
    public BoxSpace(float low, float high, params int[] shape)
    {
        if (shape.Length == 0 || shape.Any(d => d <= 0))
        {
            throw new ArgumentException("A box shape needs at least one positive dimension.", nameof(shape));
        }

        if (low > high)
        {
            throw new ArgumentException($"Box low bound {low} exceeds high bound {high}.", nameof(low));
        }

        Shape = shape;
        Low = low;
        High = high;
        Length = shape.Aggregate(1, (a, b) => a * b);
    }

    /// <summary>Shape of an element.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>Number of scalars in an element.</summary>
    public int Length { get; }

    /// <summary>Lower bound of every element.</summary>
    public float Low { get; }

    /// <summary>Upper bound of every element.</summary>
    public float High { get; }

    /// <inheritdoc />
    public bool Contains(float[] value)
    {
        if (value is null || value.Length != Length)
        {
            return false;
        }

        foreach (var v in value)
        {
            if (float.IsNaN(v) || v < Low || v > High)
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public float[] Sample(Random random)
    {
        var result = new float[Length];
        for (var i = 0; i < result.Length; i++)
        {
            if (float.IsInfinity(Low) || float.IsInfinity(High))
            {
                var u1 = 1.0 - random.NextDouble();
                var u2 = random.NextDouble();
                var n = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
                result[i] = Math.Clamp((float)n, Low, High);
            }
            else
            {
                result[i] = Low + (float)random.NextDouble() * (High - Low);
            }
        }

        return result;
    }

    /// <inheritdoc />
    public string Describe() => $"Box({Low}, {High}, [{string.Join(", ", Shape)}])";
}
