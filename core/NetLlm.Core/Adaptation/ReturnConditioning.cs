using System.Text.Json.Nodes;

namespace NetLlm.Core.Adaptation;

/// <summary>
/// Reward processing of return-conditioned sequence modelling, as the original: rewards are min-max normalised
/// over the whole pool to [0, 1] (or, with <see cref="RewardNormalization.Range"/>, divided by the pool's range
/// without the shift), returns-to-go are computed per episode with discount gamma and divided by the return scale.
/// At inference the same processing turns each observed reward into the amount subtracted from the target return.
/// </summary>
public sealed record ReturnConditioning(double RewardMin, double RewardMax, double Gamma, double Scale, double MaxReturn, int MaxTimestep, RewardNormalization Normalization = RewardNormalization.MinMax)
{
    /// <summary>Computes the statistics of <paramref name="pool"/>.</summary>
    /// <param name="pool">The experience pool.</param>
    /// <param name="gamma">Discount.</param>
    /// <param name="scale">Return scale.</param>
    /// <param name="normalization">How rewards are normalised (the original: min-max).</param>
    public static (ReturnConditioning Conditioning, float[] ReturnsToGo) FromPool(ExperiencePool pool, double gamma, double scale, RewardNormalization normalization = RewardNormalization.MinMax)
    {
        var min = pool.Rewards.Min();
        var max = pool.Rewards.Max();
        var range = max - min;
        var rtg = new float[pool.Count];
        var maxReturn = double.MinValue;
        var end = pool.Count - 1;
        double running = 0;
        for (var i = pool.Count - 1; i >= 0; i--)
        {
            if (pool.Dones[i] || i == end)
            {
                running = 0;
            }

            // Min-max in float, as the rewards are: every adapted run's numbers depend on these bits.
            var normalized = range <= 0 ? 0.0
                : normalization == RewardNormalization.Range ? pool.Rewards[i] / (double)range
                : (pool.Rewards[i] - min) / range;
            running = normalized + (gamma * running);
            rtg[i] = (float)(running / scale);
            if (pool.Timesteps[i] == 0)
            {
                maxReturn = Math.Max(maxReturn, rtg[i]);
            }
        }

        if (maxReturn == double.MinValue)
        {
            maxReturn = rtg.Max();
        }

        var maxT = (int)pool.Timesteps.Max();
        return (new ReturnConditioning(min, max, gamma, scale, maxReturn, maxT, normalization), rtg);
    }

    /// <summary>A reward as processed for the target return: clipped to the pool's range, normalised, scaled.</summary>
    /// <param name="reward">Raw reward.</param>
    public double Process(double reward)
    {
        var range = RewardMax - RewardMin;
        if (range <= 0)
        {
            return 0;
        }

        var clipped = Math.Clamp(reward, RewardMin, RewardMax);
        return (Normalization == RewardNormalization.Range ? clipped : clipped - RewardMin) / range / Scale;
    }

    /// <summary>As JSON (recorded in the run directory).</summary>
    public JsonObject ToJson() => new()
    {
        ["reward_min"] = RewardMin,
        ["reward_max"] = RewardMax,
        ["gamma"] = Gamma,
        ["scale"] = Scale,
        ["max_return"] = MaxReturn,
        ["max_timestep"] = MaxTimestep,
        ["reward_normalization"] = Options.OptionField.KebabCase(Normalization.ToString()),
    };

    /// <summary>Reads the JSON written by <see cref="ToJson"/>.</summary>
    /// <param name="o">The object.</param>
    /// <param name="source">File name for errors.</param>
    public static ReturnConditioning FromJson(JsonObject o, string source)
    {
        ArgumentNullException.ThrowIfNull(o);
        double Get(string key, double min, double max)
        {
            var node = o[key] ?? throw new InvalidDataException($"{source}: missing '{key}' in return conditioning");
            return node is JsonValue v && v.TryGetValue<double>(out var x) && double.IsFinite(x) && x >= min && x <= max
                ? x
                : throw new InvalidDataException($"{source}: conditioning.{key} is {node.ToJsonString()}, not a number from {min} to {max}");
        }

        var rewardMin = Get("reward_min", double.MinValue, double.MaxValue);
        var rewardMax = Get("reward_max", rewardMin, double.MaxValue);
        var maxTimestep = Get("max_timestep", 0, int.MaxValue - 1);
        if (maxTimestep != Math.Floor(maxTimestep))
        {
            throw new InvalidDataException($"{source}: conditioning.max_timestep is {maxTimestep}, not a whole number");
        }

        // Runs written before the option existed normalised min-max.
        var normalization = RewardNormalization.MinMax;
        if (o["reward_normalization"] is { } node)
        {
            normalization = node is JsonValue value && value.TryGetValue<string>(out var text) && Options.OptionField.ParseEnum(typeof(RewardNormalization), text) is RewardNormalization parsed
                ? parsed
                : throw new InvalidDataException($"{source}: conditioning.reward_normalization is {node.ToJsonString()}, not one of {string.Join(", ", Enum.GetNames<RewardNormalization>().Select(Options.OptionField.KebabCase))}");
        }

        return new ReturnConditioning(rewardMin, rewardMax, Get("gamma", double.Epsilon, 1), Get("scale", double.Epsilon, double.MaxValue), Get("max_return", double.MinValue, double.MaxValue), (int)maxTimestep, normalization);
    }
}
