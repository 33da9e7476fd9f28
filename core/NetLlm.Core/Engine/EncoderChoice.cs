using NetLlm.Core.Options;

namespace NetLlm.Core.Engine;

/// <summary>An encoder named for a slot instead of the slot's default, with option values for it.</summary>
/// <param name="Slot">Slot name.</param>
/// <param name="EncoderId">Encoder id.</param>
/// <param name="Options">Values of the encoder's options, by name.</param>
public sealed record EncoderChoice(string Slot, string? EncoderId, IReadOnlyList<OptionInput> Options);
