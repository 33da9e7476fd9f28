using System.Runtime.CompilerServices;

namespace NetLlm.Tasks.AdaptiveBitrate.Simulation;

/// <summary>
/// Inline storage for the 6×6 Pensieve state (row-major, 36 doubles) so that observations are values that need no
/// heap allocation per step.
/// </summary>
[InlineArray(AbrConstants.StateRows * AbrConstants.StateColumns)]
public struct AbrStateBuffer
{
#pragma warning disable IDE0051, IDE0044 // the inline array's element field is accessed through the indexer
    private double _element0;
#pragma warning restore IDE0051, IDE0044
}
