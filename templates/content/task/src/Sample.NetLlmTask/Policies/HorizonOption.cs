using System.Globalization;
using NetLlm.Abstractions.Policies;

namespace Sample.NetLlmTask.Policies;

/// <summary>Reads the prediction horizon a policy answers for from its options (the task passes its own options).</summary>
internal static class HorizonOption
{
    public static int From(PolicyRequest request)
    {
        if (!request.Options.TryGetValue("horizon", out var text))
        {
            return 1;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var horizon) && horizon >= 1
            ? horizon
            : throw new ArgumentException($"option --horizon: '{text}' is not a positive integer");
    }
}
