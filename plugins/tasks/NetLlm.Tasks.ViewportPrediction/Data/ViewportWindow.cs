namespace NetLlm.Tasks.ViewportPrediction.Data;

/// <summary>
/// How samples are cut from a trace: for <c>t</c> in <c>range(TrimHead, rows - TrimTail, Step)</c> the history is rows
/// <c>[t - History, t)</c> and the future rows <c>[t, t + Future)</c>. The original keeps trim 30 / 60 (three times the
/// default windows) whatever the windows are.
/// </summary>
/// <param name="History">History rows (at least 2).</param>
/// <param name="Future">Future rows to predict (at least 1).</param>
/// <param name="TrimHead">Rows skipped at the start (at least <paramref name="History"/>).</param>
/// <param name="TrimTail">Rows skipped at the end (at least <paramref name="Future"/>).</param>
/// <param name="Step">Rows between two samples.</param>
public sealed record ViewportWindow(int History = 10, int Future = 20, int TrimHead = 30, int TrimTail = 60, int Step = 15)
{
    /// <summary>The original's default windows: 2 s history, 4 s future, trim 30 / 60, one sample every 3 s.</summary>
    public static ViewportWindow Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the option when the windows are inconsistent.</summary>
    public ViewportWindow Validate()
    {
        if (History < 2)
        {
            throw new ArgumentException($"option --history: {History} rows is too short (at least 2: velocity and regression need two points)");
        }

        if (Future < 1)
        {
            throw new ArgumentException($"option --future: {Future} must be at least 1");
        }

        if (Step < 1)
        {
            throw new ArgumentException($"option --step: {Step} must be at least 1");
        }

        if (TrimHead < History)
        {
            throw new ArgumentException($"option --trim-head: {TrimHead} must be at least the history window ({History}) so that every history is inside the trace");
        }

        if (TrimTail < Future)
        {
            throw new ArgumentException($"option --trim-tail: {TrimTail} must be at least the future window ({Future}) so that every future is inside the trace");
        }

        return this;
    }

    /// <summary>Start rows <c>t</c> of the samples of a trace with <paramref name="rows"/> rows.</summary>
    /// <param name="rows">Rows of the trace.</param>
    public IEnumerable<int> Starts(int rows)
    {
        for (var t = TrimHead; t < rows - TrimTail; t += Step)
        {
            yield return t;
        }
    }
}
