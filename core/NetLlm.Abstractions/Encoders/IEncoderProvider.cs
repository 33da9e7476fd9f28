namespace NetLlm.Abstractions.Encoders;

/// <summary>
/// Creates encoders of one kind for tasks' encoder slots. Exported through MEF by encoder plugins (any public class
/// implementing it is discovered); implement <see cref="IEncoderProvider{TOptions}"/> for typed options.
/// </summary>
public interface IEncoderProvider
{
    /// <summary>Encoder id, for example <c>encoder.series-cnn</c>.</summary>
    string Id { get; }

    /// <summary>Modality it encodes; it can fill slots of this modality.</summary>
    string Modality { get; }

    /// <summary>One-line description including the input shape it expects.</summary>
    string Description { get; }

    /// <summary>Type of the input batch (a slot's input type must be assignable to it).</summary>
    Type InputType { get; }

    /// <summary>Type of the output (must be assignable to a slot's output type).</summary>
    Type OutputType { get; }

    /// <summary>Its options record (see <see cref="Options.OptionAttribute"/>).</summary>
    Type OptionsType { get; }

    /// <summary>Creates an encoder; the caller owns (disposes) its module.</summary>
    /// <param name="context">Width, item shape and data root.</param>
    /// <param name="options">An instance of <see cref="OptionsType"/>.</param>
    IModalityEncoder Create(EncoderContext context, object options);
}

/// <summary>An encoder provider with a typed options record.</summary>
/// <typeparam name="TOptions">Options record.</typeparam>
public interface IEncoderProvider<TOptions> : IEncoderProvider
    where TOptions : class, new()
{
    /// <inheritdoc />
    Type IEncoderProvider.OptionsType => typeof(TOptions);

    /// <summary>Creates an encoder; the caller owns (disposes) its module.</summary>
    /// <param name="context">Width, item shape and data root.</param>
    /// <param name="options">Options.</param>
    IModalityEncoder Create(EncoderContext context, TOptions options);

    /// <inheritdoc />
    IModalityEncoder IEncoderProvider.Create(EncoderContext context, object options) => Create(context, (TOptions)options);
}

/// <summary>What an encoder is created for.</summary>
/// <param name="Width">Output width the slot expects (usually the backbone's hidden size).</param>
/// <param name="ItemShape">Shape of one input item, without the batch dimension.</param>
/// <param name="DataRoot">The data root (for pretrained encoder weights), or null.</param>
public sealed record EncoderContext(int Width, IReadOnlyList<long> ItemShape, string? DataRoot);
