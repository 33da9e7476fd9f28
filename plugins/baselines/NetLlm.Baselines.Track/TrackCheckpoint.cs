using NetLlm.Core.IO;
using static TorchSharp.torch;

namespace NetLlm.Baselines.Track;

/// <summary>Saves and loads a TRACK model directory: <c>track.json</c> and <c>model.safetensors</c>.</summary>
public static class TrackCheckpoint
{
    /// <summary>Writes the directory atomically (replacing an existing one).</summary>
    /// <param name="directory">Destination.</param>
    /// <param name="model">The model (borrowed).</param>
    /// <param name="config">Its config.</param>
    public static void Save(string directory, TrackModel model, TrackConfig config)
    {
        ArgumentNullException.ThrowIfNull(model);
        AtomicFile.WriteDirectory(directory, temp =>
        {
            var state = model.state_dict();
            SafetensorsWriter.Write(Path.Combine(temp, TrackConfig.WeightsFileName), state, new Dictionary<string, string> { ["format"] = "pt" });
            File.WriteAllText(Path.Combine(temp, TrackConfig.FileName), config.ToJson());
        });
    }

    /// <summary>
    /// Loads a directory into a new model (caller disposes it). Throws <see cref="InvalidDataException"/> naming the
    /// file and tensor on a missing, extra or mis-shaped tensor.
    /// </summary>
    /// <param name="directory">A directory written by <see cref="Save"/>.</param>
    public static (TrackModel Model, TrackConfig Config) Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new InvalidDataException($"{directory}: TRACK model directory not found");
        }

        var config = TrackConfig.Read(Path.Combine(directory, TrackConfig.FileName));
        var weights = Path.Combine(directory, TrackConfig.WeightsFileName);
        if (!File.Exists(weights))
        {
            throw new InvalidDataException($"{weights}: not found");
        }

        var model = new TrackModel(config.SaliencyHeight, config.SaliencyWidth);
        try
        {
            using var file = SafetensorsFile.Open(weights);
            var state = model.state_dict();
            foreach (var name in file.Entries.Keys.Where(k => !state.ContainsKey(k)))
            {
                throw new InvalidDataException($"{weights}: unexpected tensor '{name}' (not a parameter of TRACK {config.SaliencyHeight}x{config.SaliencyWidth})");
            }

            using var noGrad = no_grad();
            foreach (var (name, target) in state)
            {
                if (!file.Entries.ContainsKey(name))
                {
                    throw new InvalidDataException($"{weights}: tensor '{name}' is missing");
                }

                using var value = file.Read(name, ScalarType.Float32);
                if (!value.shape.SequenceEqual(target.shape))
                {
                    throw new InvalidDataException($"{weights}: tensor '{name}' has shape [{string.Join(", ", value.shape)}], expected [{string.Join(", ", target.shape)}]");
                }

                target.copy_(value);
            }
        }
        catch
        {
            model.Dispose();
            throw;
        }

        return (model, config);
    }
}
