using System.Text.Json.Nodes;
using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Models;
using NetLlm.Abstractions.Plugins;
using NetLlm.Core.Encoders;
using NetLlm.Core.Heads;
using NetLlm.Core.Options;
using TorchSharp;

namespace NetLlm.Core.Engine;

/// <summary>
/// Builds the parts of a task's NetLLM model that come from plugins: one encoder per slot (the slot's default or the
/// one the user named, created through the registry, checked against the slot's modality and types) and the heads.
/// Records what it chose, so that a run directory rebuilds the same model.
/// </summary>
public static class ModelAssembly
{
    /// <summary>The encoders of <paramref name="slots"/>, created in slot order.</summary>
    /// <param name="registry">Loaded plugins.</param>
    /// <param name="slots">The task's slots.</param>
    /// <param name="embeddingDim">Token width d (the width of slots that name none).</param>
    /// <param name="choices">Encoders named by the user or recorded in a run (by slot).</param>
    /// <param name="dataRoot">Data root (for pretrained encoder weights).</param>
    /// <param name="taskId">Task id, for messages.</param>
    public static IReadOnlyList<CreatedEncoder> CreateEncoders(IPluginRegistry registry, IReadOnlyList<EncoderSlot> slots, int embeddingDim, IReadOnlyList<EncoderChoice> choices, string? dataRoot, string taskId)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(choices);
        foreach (var choice in choices.Where(c => slots.All(s => s.Name != c.Slot)))
        {
            throw new ArgumentException($"encoder for slot '{choice.Slot}': task '{taskId}' has no encoder slot '{choice.Slot}'; slots: {string.Join(", ", slots.Select(s => s.Name))}");
        }

        var created = new List<CreatedEncoder>(slots.Count);
        try
        {
            foreach (var slot in slots)
            {
                var choice = choices.LastOrDefault(c => c.Slot == slot.Name);
                var off = choice?.EncoderId == SwitchedOffEncoder.Id;
                var id = off ? slot.DefaultEncoder : choice?.EncoderId ?? slot.DefaultEncoder;
                var provider = Provider(registry, id, slot, taskId);
                var schema = OptionSchema.Of(provider.OptionsType);
                var options = id == slot.DefaultEncoder && slot.DefaultOptions is { } preset
                    ? CheckPreset(preset, provider, slot)
                    : schema.CreateDefault();
                if (choice is not null && !off)
                {
                    options = schema.Apply(options, choice.Options);
                }

                var encoder = provider.Create(new EncoderContext(slot.Width ?? embeddingDim, slot.ItemShape, dataRoot), options);
                if (!Implements(encoder, slot))
                {
                    (encoder.Module as IDisposable)?.Dispose();
                    throw new InvalidOperationException($"encoder '{id}' created a {encoder.GetType().Name}, which does not encode {slot.InputType.Name} into {slot.OutputType.Name} as slot '{slot.Name}' needs");
                }

                if (off)
                {
                    if (choice!.Options.Count > 0)
                    {
                        encoder.Module.Dispose();
                        throw new ArgumentException($"{choice.Options[0].Source}: slot '{slot.Name}' is switched off ({SwitchedOffEncoder.Id}), so its encoder takes no options");
                    }

                    if (encoder is not IModalityEncoder<torch.Tensor, torch.Tensor> tensors)
                    {
                        encoder.Module.Dispose();
                        throw new ArgumentException($"encoder slot '{slot.Name}' of task '{taskId}' encodes {slot.InputType.Name} into {slot.OutputType.Name}; only tensor slots can be switched off ('{SwitchedOffEncoder.Id}')");
                    }

                    encoder = new SwitchedOffEncoder(tensors);
                    id = SwitchedOffEncoder.Id;
                }

                if (slot.Frozen)
                {
                    foreach (var p in encoder.Module.parameters())
                    {
                        p.requires_grad = false;
                    }
                }

                created.Add(new CreatedEncoder(slot, id, provider, options, encoder));
            }

            return created;
        }
        catch
        {
            foreach (var c in created)
            {
                c.Encoder.Module.Dispose();
            }

            throw;
        }
    }

    /// <summary>Creates the heads of <paramref name="slots"/> for input width <paramref name="inputDim"/>.</summary>
    /// <param name="slots">Head slots.</param>
    /// <param name="inputDim">Feature width.</param>
    public static IReadOnlyList<INetworkingHead> CreateHeads(IReadOnlyList<HeadSlot> slots, int inputDim)
    {
        ArgumentNullException.ThrowIfNull(slots);
        var heads = new List<INetworkingHead>(slots.Count);
        foreach (var slot in slots)
        {
            var head = slot.Create?.Invoke(inputDim) ?? new LinearHead(inputDim, slot.Outputs, slot.Kind);
            if (head.Outputs != slot.Outputs || head.InputDim != inputDim)
            {
                throw new InvalidOperationException($"head '{slot.Name}' has {head.InputDim} -> {head.Outputs} but its slot declares {inputDim} -> {slot.Outputs}");
            }

            heads.Add(head);
        }

        return heads;
    }

    /// <summary>What was chosen for each slot, as recorded in run.json (<c>model.encoders</c>).</summary>
    /// <param name="encoders">The created encoders.</param>
    public static JsonObject Describe(IReadOnlyList<CreatedEncoder> encoders)
    {
        ArgumentNullException.ThrowIfNull(encoders);
        var json = new JsonObject();
        foreach (var e in encoders)
        {
            json[e.Slot.Name] = new JsonObject
            {
                ["id"] = e.Id,
                ["modality"] = e.Slot.Modality,
                ["options"] = OptionSchema.Of(e.Provider.OptionsType).ToJson(e.Options),
            };
        }

        return json;
    }

    /// <summary>The choices recorded by <see cref="Describe"/> (read back from a run's manifest).</summary>
    /// <param name="json">The <c>model.encoders</c> object, or null (every slot at its default).</param>
    /// <param name="registry">Loaded plugins (for the encoders' option schemas).</param>
    /// <param name="source">Where it came from, for messages.</param>
    public static IReadOnlyList<EncoderChoice> ReadChoices(JsonObject? json, IPluginRegistry registry, string source)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (json is null)
        {
            return [];
        }

        var choices = new List<EncoderChoice>();
        foreach (var (slot, node) in json)
        {
            var where = $"{source}: model.encoders.{slot}";
            var entry = node as JsonObject ?? throw new InvalidDataException($"{where}: not an object");
            var id = entry["id"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new InvalidDataException($"{where}.id: missing or not a string");
            if (id == SwitchedOffEncoder.Id)
            {
                choices.Add(new EncoderChoice(slot, id, []));
                continue;
            }

            var provider = registry.Encoders.FirstOrDefault(e => e.Id == id)
                ?? throw new InvalidDataException($"{where}.id: encoder '{id}' is not loaded (install its plugin; see `netllm plugins`)");
            var options = entry["options"] as JsonObject ?? [];
            var schema = OptionSchema.Of(provider.OptionsType);
            var record = schema.FromJson(options, where + ".options");
            choices.Add(new EncoderChoice(slot, id, schema.Fields.Select(f => new OptionInput(f.Name, f.Property.GetValue(record), where)).ToList()));
        }

        return choices;
    }

    private static IEncoderProvider Provider(IPluginRegistry registry, string id, EncoderSlot slot, string taskId)
    {
        var provider = registry.Encoders.FirstOrDefault(e => e.Id == id);
        if (provider is null)
        {
            var candidates = registry.Encoders.Where(e => e.Modality == slot.Modality).Select(e => e.Id).ToList();
            throw new ArgumentException(
                $"task '{taskId}', encoder slot '{slot.Name}' ({slot.Modality}): encoder '{id}' is not loaded; " +
                (candidates.Count > 0 ? $"encoders of this modality: {string.Join(", ", candidates)}" : "no loaded encoder plugin has this modality (see `netllm plugins`)"));
        }

        if (provider.Modality != slot.Modality)
        {
            throw new ArgumentException($"task '{taskId}', encoder slot '{slot.Name}' needs modality '{slot.Modality}'; encoder '{id}' encodes '{provider.Modality}'");
        }

        if (!provider.InputType.IsAssignableFrom(slot.InputType) || !slot.OutputType.IsAssignableFrom(provider.OutputType))
        {
            throw new ArgumentException(
                $"task '{taskId}', encoder slot '{slot.Name}' passes {slot.InputType.Name} and expects {slot.OutputType.Name}; encoder '{id}' takes {provider.InputType.Name} and returns {provider.OutputType.Name}");
        }

        return provider;
    }

    private static object CheckPreset(object preset, IEncoderProvider provider, EncoderSlot slot) =>
        provider.OptionsType.IsInstanceOfType(preset)
            ? preset
            : throw new InvalidOperationException($"slot '{slot.Name}': its default options are a {preset.GetType().Name}, but encoder '{provider.Id}' takes {provider.OptionsType.Name}");

    private static bool Implements(IModalityEncoder encoder, EncoderSlot slot)
    {
        var wanted = typeof(IModalityEncoder<,>).MakeGenericType(slot.InputType, slot.OutputType);
        return wanted.IsInstanceOfType(encoder);
    }
}

/// <summary>An encoder created for a slot.</summary>
/// <param name="Slot">The slot.</param>
/// <param name="Id">Encoder id.</param>
/// <param name="Provider">Its provider.</param>
/// <param name="Options">Its options record.</param>
/// <param name="Encoder">The encoder (its module is owned by the model it is registered in).</param>
public sealed record CreatedEncoder(EncoderSlot Slot, string Id, IEncoderProvider Provider, object Options, IModalityEncoder Encoder);
