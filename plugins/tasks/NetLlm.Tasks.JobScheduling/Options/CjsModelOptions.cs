using System.Globalization;

namespace NetLlm.Tasks.JobScheduling.Adaptation;

/// <summary>
/// Settings of NetLLM's CJS model (<c>--model-settings sfd=256,gnn_hidden=128</c>): the graph encoder's embedding
/// width sfd and hidden width. The head sizes are fixed as in the original: 100 stage choices plus the
/// "no stage" choice, and 50 executor choices.
/// </summary>
/// <param name="Sfd">Graph embedding width (node, DAG and global embeddings).</param>
/// <param name="GnnHidden">Hidden width of the node pre-processing MLP.</param>
public sealed record CjsModelSettings(int Sfd = 256, int GnnHidden = 128)
{
    /// <summary>Stage choices of the stage head (the original's <c>max_stage_num</c>).</summary>
    public const int MaxStages = 100;

    /// <summary>Executor choices of the executor head (the original's <c>max_exec_num</c>).</summary>
    public const int MaxExecutors = 50;

    /// <summary>Stage-head index meaning "no stage": commit the remaining executors to the common pool.</summary>
    public const int NoStage = MaxStages;

    /// <summary>Reads settings; unknown names or bad values throw <see cref="ArgumentException"/>.</summary>
    /// <param name="settings">Name/value pairs.</param>
    public static CjsModelSettings Parse(IReadOnlyDictionary<string, string>? settings)
    {
        var result = new CjsModelSettings();
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < 1)
            {
                throw new ArgumentException($"cjs model setting {name}={value}: expected a positive integer");
            }

            result = name switch
            {
                "sfd" => result with { Sfd = v },
                "gnn_hidden" => result with { GnnHidden = v },
                _ => throw new ArgumentException($"unknown cjs model setting '{name}' (known: sfd, gnn_hidden)"),
            };
        }

        return result;
    }

    /// <summary>The settings as name/value pairs (as recorded in a run directory).</summary>
    public IReadOnlyDictionary<string, string> ToDictionary() => new Dictionary<string, string>
    {
        ["sfd"] = Sfd.ToString(CultureInfo.InvariantCulture),
        ["gnn_hidden"] = GnnHidden.ToString(CultureInfo.InvariantCulture),
    };
}
