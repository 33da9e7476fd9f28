using System.Text.Json;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Backbones;

namespace NetLlm.Core.Adaptation;

/// <summary>
/// The <c>backbone</c> object of a run's run.json (what <see cref="AdaptedBackbone.Create"/> recorded), read back typed:
/// where the backbone came from and the facts that let a reload prove it built the same model.
/// </summary>
/// <param name="Model">Model folder (source <c>model</c>), or null for a preset.</param>
/// <param name="Preset">Preset name (source <c>preset</c>), or null for a model folder.</param>
/// <param name="DType">Compute dtype.</param>
/// <param name="InitSeed">Seed of a preset's random initialisation.</param>
/// <param name="Family">Backbone family.</param>
/// <param name="ModelType">Hugging Face model type.</param>
/// <param name="Layers">Decoder layers.</param>
/// <param name="HiddenSize">Hidden size.</param>
/// <param name="Parameters">Parameter count of the backbone without the adapter.</param>
public sealed record RecordedBackbone(string? Model, string? Preset, string DType, int InitSeed, string? Family, string? ModelType, int? Layers, int? HiddenSize, long? Parameters)
{
    /// <summary>The backbone was built with random weights (every preset; a model folder with <c>--random-init</c>).</summary>
    public bool RandomInit { get; init; } = Model is null;

    /// <summary>Reads and checks the object; throws <see cref="InvalidDataException"/> naming the file and key.</summary>
    /// <param name="json">The run's <c>backbone</c> object.</param>
    /// <param name="source">The run.json file.</param>
    public static RecordedBackbone Read(JsonObject json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        var kind = Get<string>(json, "source", source);
        var dtype = Get<string>(json, "dtype", source) ?? "float32";
        if (!AdaptationOptions.DTypes.Contains(dtype, StringComparer.Ordinal))
        {
            throw new InvalidDataException($"{source}: backbone.dtype '{dtype}' is not one of {string.Join(", ", AdaptationOptions.DTypes)}");
        }

        string? model = null;
        string? preset = null;
        switch (kind)
        {
            case "model":
                model = Get<string>(json, "model", source);
                if (string.IsNullOrEmpty(model))
                {
                    throw new InvalidDataException($"{source}: backbone.source is 'model' but backbone.model names no folder");
                }

                break;
            case "preset" or null:
                preset = Get<string>(json, "preset", source);
                if (string.IsNullOrEmpty(preset))
                {
                    throw new InvalidDataException($"{source}: backbone has neither 'model' nor 'preset'");
                }

                break;
            default:
                throw new InvalidDataException($"{source}: backbone.source is '{kind}', not 'model' or 'preset'");
        }

        return new RecordedBackbone(
            model,
            preset,
            dtype,
            Get<int?>(json, "init_seed", source) ?? 0,
            Get<string>(json, "family", source),
            Get<string>(json, "model_type", source),
            Get<int?>(json, "layers", source),
            Get<int?>(json, "hidden_size", source),
            Get<long?>(json, "parameters", source))
        {
            RandomInit = Get<bool?>(json, "random_init", source) ?? model is null,
        };
    }

    /// <summary>Throws when the loaded backbone is not the one the run recorded (another preset, a changed model folder).</summary>
    /// <param name="info">The loaded backbone's facts.</param>
    /// <param name="source">The run.json file.</param>
    public void CheckAgainst(BackboneInfo info, string source)
    {
        ArgumentNullException.ThrowIfNull(info);
        var differences = new List<string>();
        void Compare(string key, object? recorded, object actual)
        {
            if (recorded is not null && !recorded.Equals(actual))
            {
                differences.Add($"backbone.{key} is {recorded}, the loaded backbone has {actual}");
            }
        }

        Compare("family", Family, info.Family);
        Compare("model_type", ModelType, info.ModelType);
        Compare("layers", Layers, info.NumLayers);
        Compare("hidden_size", HiddenSize, info.HiddenSize);
        Compare("parameters", Parameters, info.ParameterCount);
        if (differences.Count > 0)
        {
            throw new InvalidDataException($"{source}: the backbone ({Model ?? "preset " + Preset}) is not the one the run was adapted with: {string.Join("; ", differences)}");
        }
    }

    private static T? Get<T>(JsonObject json, string key, string source)
    {
        var node = json[key];
        if (node is null)
        {
            return default;
        }

        try
        {
            return node.Deserialize<T>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{source}: backbone.{key} is {node.ToJsonString()}, not {(typeof(T) == typeof(string) ? "a string" : typeof(T) == typeof(bool?) ? "true or false" : "a whole number")}", e);
        }
    }
}
