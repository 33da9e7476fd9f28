namespace NetLlm.Abstractions.Models;

/// <summary>
/// A place in a task's model that a modality encoder fills: what it encodes (modality, input and output types, the
/// shape of one item) and which encoder fills it unless the user names another one with <c>--encoder SLOT=ID</c> or
/// the configuration. Any encoder plugin of the same modality whose input and output types match can fill it.
/// </summary>
/// <param name="Name">Slot name; also the state-dict prefix of the encoder's parameters, for example <c>throughput</c>.</param>
/// <param name="Modality">Modality, for example <c>series</c>, <c>scalar</c>, <c>graph</c>, <c>image</c>.</param>
/// <param name="InputType">What the task passes to <c>Encode</c>.</param>
/// <param name="OutputType">What the task expects back (tokens as a tensor, or a graph encoding).</param>
/// <param name="ItemShape">Shape of one input item, without the batch dimension (for example <c>[1, 6]</c>: one channel of 6 values).</param>
/// <param name="DefaultEncoder">Id of the encoder used unless another is named.</param>
/// <param name="Description">What the slot holds, for help and run manifests.</param>
public sealed record EncoderSlot(
    string Name,
    string Modality,
    Type InputType,
    Type OutputType,
    IReadOnlyList<long> ItemShape,
    string DefaultEncoder,
    string Description)
{
    /// <summary>Options of <see cref="DefaultEncoder"/> in this slot (an instance of its options record), or null for its defaults.</summary>
    public object? DefaultOptions { get; init; }

    /// <summary>Width of the output the task expects; null for the token width d (the backbone's hidden size).</summary>
    public int? Width { get; init; }

    /// <summary>Freeze the encoder's parameters (for example a pretrained image encoder).</summary>
    public bool Frozen { get; init; }
}
