namespace NetLlm.Testing.Conformance;

/// <summary>What the conformance kit found for one component.</summary>
/// <param name="Kind"><c>task</c>, <c>policy</c>, <c>encoder</c> or <c>backbone</c>.</param>
/// <param name="Id">The component's id (task id, policy id, encoder id, backbone family or preset).</param>
/// <param name="Passed">True when every check passed; false when it was skipped (see <see cref="Detail"/>) or failed.</param>
/// <param name="Skipped">True when it could not be checked here (data missing), with the reason in <see cref="Detail"/>.</param>
/// <param name="Detail">What was checked, why it was skipped, or the first failure.</param>
public sealed record ConformanceResult(string Kind, string Id, bool Passed, bool Skipped, string Detail)
{
    /// <summary>True when a check failed.</summary>
    public bool Failed => !Passed && !Skipped;

    /// <inheritdoc />
    public override string ToString() => $"{Kind} {Id}: {(Passed ? "passed" : Skipped ? "skipped" : "FAILED")} — {Detail}";
}
