using System.Text.Json.Nodes;
using NetLlm.Core.Adaptation;
using NetLlm.Core.IO;

namespace NetLlm.Core.Engine;

/// <summary>
/// Before a decision run is rebuilt as a policy: the parts of run.json that size or drive the model must agree with each
/// other, with the task and with the weights file, so an edited or mismatched manifest is refused by name instead of
/// allocating a table of its size or silently changing the results.
/// </summary>
internal static class RunConsistency
{
    /// <summary>The timestep table's name in the model file (<see cref="ReturnConditionedModel{TObservation}"/>).</summary>
    private const string TimestepTable = "embed_timestep.weight";

    /// <summary>Throws <see cref="InvalidDataException"/> naming the file and keys that disagree.</summary>
    /// <param name="source">The run.json file.</param>
    /// <param name="manifest">Its content.</param>
    /// <param name="adaptation">Its <c>adaptation</c> section, typed.</param>
    /// <param name="conditioning">Its <c>conditioning</c> section, typed.</param>
    /// <param name="heads">The task's action heads.</param>
    /// <param name="modelFile">The run's model.safetensors.</param>
    public static void Check(string source, JsonObject manifest, AdaptationOptions adaptation, ReturnConditioning conditioning, int heads, string modelFile)
    {
        if (manifest["action_components"] is { } components && (components is not JsonValue v || !v.TryGetValue<int>(out var count) || count != heads))
        {
            throw new InvalidDataException($"{source}: action_components is {components.ToJsonString()}, but the task has {heads} action head(s)");
        }

        if (conditioning.Gamma != adaptation.Gamma || conditioning.Scale != adaptation.ReturnScale)
        {
            throw new InvalidDataException($"{source}: conditioning (gamma {conditioning.Gamma}, scale {conditioning.Scale}) contradicts adaptation (gamma {adaptation.Gamma}, return_scale {adaptation.ReturnScale})");
        }

        if (conditioning.Normalization != adaptation.RewardNormalization)
        {
            throw new InvalidDataException($"{source}: conditioning.reward_normalization ({conditioning.Normalization}) contradicts adaptation.reward_normalization ({adaptation.RewardNormalization})");
        }

        using var weights = SafetensorsFile.Open(modelFile);
        if (!weights.Entries.TryGetValue(TimestepTable, out var table) || table.Shape.Length != 2)
        {
            throw new InvalidDataException($"{modelFile}: no tensor '{TimestepTable}' [timesteps, d]; the file is not a return-conditioned model");
        }

        if (table.Shape[0] != conditioning.MaxTimestep + 1L)
        {
            throw new InvalidDataException($"{source}: conditioning.max_timestep is {conditioning.MaxTimestep}, but '{TimestepTable}' in {modelFile} has {table.Shape[0]} rows (max_timestep {table.Shape[0] - 1})");
        }
    }
}
