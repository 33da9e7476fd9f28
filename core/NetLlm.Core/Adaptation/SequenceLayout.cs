namespace NetLlm.Core.Adaptation;

/// <summary>
/// Where every token of a batch of windows goes. Tokens of all steps are first stacked in one row table —
/// returns (n rows), segment 0 (n × width0 rows), segment 1, ..., actions (n rows), one zero row for padding — and
/// each window's sequence <c>[R, seg0..., seg1..., a]</c> per step is gathered from it. Windows are right-padded, so
/// positions start at 0 in every row and padding is never attended to by real tokens.
/// </summary>
public sealed class SequenceLayout
{
    private SequenceLayout(int batch, int maxLength, long[] rowIndex, long[] mask, long[][] headIndex, bool padded)
    {
        Batch = batch;
        MaxLength = maxLength;
        RowIndex = rowIndex;
        Mask = mask;
        HeadIndex = headIndex;
        Padded = padded;
    }

    /// <summary>Windows.</summary>
    public int Batch { get; }

    /// <summary>Longest sequence.</summary>
    public int MaxLength { get; }

    /// <summary>Row of the token table for every (window, position), <c>[Batch × MaxLength]</c>.</summary>
    public long[] RowIndex { get; }

    /// <summary>1 for real tokens, 0 for padding, <c>[Batch × MaxLength]</c>.</summary>
    public long[] Mask { get; }

    /// <summary>Per component, the flat (window × MaxLength + position) index of its head token for every step.</summary>
    public long[][] HeadIndex { get; }

    /// <summary>True when some window is shorter than <see cref="MaxLength"/>.</summary>
    public bool Padded { get; }

    /// <summary>
    /// The positions each window's heads read (ascending, padded to the widest window by repeating its last one), the
    /// padded width, and for every component the row of the backbone's selected output holding each head position
    /// (what <c>BackboneInput.OutputPositions</c> asks for).
    /// </summary>
    public (long[] Positions, int Width, long[][] HeadRows) HeadSelection()
    {
        var t = MaxLength;
        var perWindow = Enumerable.Range(0, Batch).Select(_ => new SortedSet<long>()).ToArray();
        foreach (var heads in HeadIndex)
        {
            foreach (var flat in heads)
            {
                perWindow[flat / t].Add(flat % t);
            }
        }

        var width = Math.Max(1, perWindow.Max(w => w.Count));
        var positions = new long[Batch * width];
        var slot = new Dictionary<long, long>();
        for (var b = 0; b < Batch; b++)
        {
            var p = 0;
            foreach (var position in perWindow[b])
            {
                slot[((long)b * t) + position] = ((long)b * width) + p;
                positions[(b * width) + p++] = position;
            }

            var pad = p > 0 ? positions[(b * width) + p - 1] : 0;
            for (; p < width; p++)
            {
                positions[(b * width) + p] = pad;
            }
        }

        return (positions, width, HeadIndex.Select(heads => heads.Select(flat => slot[flat]).ToArray()).ToArray());
    }

    /// <summary>Computes the layout.</summary>
    /// <param name="windowLengths">Steps per window.</param>
    /// <param name="segments">Per component: real tokens per step and the padded width of its table.</param>
    /// <param name="steps">Total steps n.</param>
    public static SequenceLayout Build(int[] windowLengths, IReadOnlyList<(int[] Lengths, int Width)> segments, int steps)
    {
        var components = segments.Count;
        var segmentBase = new long[components];
        long next = steps;
        for (var j = 0; j < components; j++)
        {
            segmentBase[j] = next;
            next += (long)steps * segments[j].Width;
        }

        var actionBase = next;
        var zeroRow = actionBase + steps;
        var lengths = new int[windowLengths.Length];
        var k = 0;
        for (var b = 0; b < windowLengths.Length; b++)
        {
            var length = 0;
            for (var s = 0; s < windowLengths[b]; s++, k++)
            {
                length += 2;
                for (var j = 0; j < components; j++)
                {
                    length += segments[j].Lengths[k];
                }
            }

            lengths[b] = length;
        }

        var maxLength = lengths.Max();
        var rowIndex = new long[windowLengths.Length * maxLength];
        Array.Fill(rowIndex, zeroRow);
        var mask = new long[rowIndex.Length];
        var heads = new long[components][];
        for (var j = 0; j < components; j++)
        {
            heads[j] = new long[steps];
        }

        k = 0;
        for (var b = 0; b < windowLengths.Length; b++)
        {
            var p = 0;
            var rowStart = b * maxLength;
            for (var s = 0; s < windowLengths[b]; s++, k++)
            {
                rowIndex[rowStart + p] = k;
                mask[rowStart + p++] = 1;
                for (var j = 0; j < components; j++)
                {
                    var (segLengths, width) = segments[j];
                    var count = segLengths[k];
                    if (count < 1)
                    {
                        throw new InvalidOperationException($"segment {j} of step {k} has no tokens; every segment needs at least one (its last token feeds head {j})");
                    }

                    for (var i = 0; i < count; i++)
                    {
                        rowIndex[rowStart + p] = segmentBase[j] + ((long)k * width) + i;
                        mask[rowStart + p++] = 1;
                    }

                    heads[j][k] = rowStart + p - 1;
                }

                rowIndex[rowStart + p] = actionBase + k;
                mask[rowStart + p++] = 1;
            }
        }

        return new SequenceLayout(windowLengths.Length, maxLength, rowIndex, mask, heads, lengths.Any(l => l != maxLength));
    }
}
