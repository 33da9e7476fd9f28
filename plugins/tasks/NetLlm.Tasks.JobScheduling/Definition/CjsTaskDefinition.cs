using NetLlm.Abstractions.Tasks;
using NetLlm.Tasks.JobScheduling.Data;

namespace NetLlm.Tasks.JobScheduling.Definition;

/// <summary>
/// Cluster job scheduling (<c>cjs</c>): DAG jobs arrive at a Spark cluster and a scheduler picks the next stage
/// and how many executors it gets, to minimise the average job completion time. <c>test</c> runs a scheduler
/// through whole episodes; <c>bench</c> measures simulator throughput and, with <c>--episodes</c>, JCT statistics.
/// </summary>
public sealed class CjsTaskDefinition : ITaskDefinition
{
    /// <summary>The task id.</summary>
    public const string TaskId = "cjs";

    private static readonly TaskVerb[] Runnable = [TaskVerb.Test, TaskVerb.Bench];

    /// <inheritdoc />
    public string Id => TaskId;

    /// <inheritdoc />
    public string Title => "Cluster job scheduling";

    /// <inheritdoc />
    public TaskKind Kind => TaskKind.Decision;

    /// <inheritdoc />
    public MetricInfo Metric { get; } = new(
        "avg_jct_s",
        "s",
        HigherIsBetter: false,
        "average job completion time of an episode: min(completion, end) - arrival over every job, in seconds");

    /// <inheritdoc />
    public IReadOnlyList<TaskSetting> Settings => CjsSettings.All;

    /// <inheritdoc />
    public IReadOnlyList<TaskOptionSpec> Options { get; } =
    [
        new(CjsSettings.Jobs, "jobs arriving per episode (default 200)", OptionKind.Integer, Runnable),
        new(CjsSettings.Executors, "executors in the cluster (default 50)", OptionKind.Integer, Runnable),
        new(CjsSettings.ArrivalRate, "Poisson job arrival rate per ms (default 4e-5)", OptionKind.Real, Runnable),
        new(CjsSettings.MovingDelay, "time for an executor to move between jobs, ms (default 2000)", OptionKind.Real, Runnable),
        new(CjsSettings.WarmupDelay, "extra time of a fresh executor's first task, ms (default 1000)", OptionKind.Real, Runnable),
        new(CjsSettings.Episodes, "episodes to run, with seeds seed, seed+1, ... (default 1)", OptionKind.Integer, Runnable),
        new(CjsSettings.Argmax, "neural schedulers pick their most likely action instead of sampling", OptionKind.Flag, Runnable),
        new("decima-weights", "Decima weights under the data root (default cjs/models/decima/model_state_dict.json; a .pt file needs --allow-pickle)", OptionKind.Text, Runnable),
        new("allow-pickle", "allow reading Decima weights from a torch.save (.pt) file", OptionKind.Flag, Runnable),
        new(CjsSettings.BenchRepeats, "timed episodes per scheduler in the benchmark (default 3)", OptionKind.Integer, [TaskVerb.Bench]),
    ];

    /// <inheritdoc />
    public IReadOnlyList<string> Baselines { get; } = ["cjs.fifo", "cjs.fair", "cjs.decima", "cjs.random"];

    /// <inheritdoc />
    public IReadOnlyList<DataRequirement> DataRequirements { get; } =
        TpchSizes.All.Select(size => new DataRequirement(
                $"cjs/tpch_json/{size}",
                "query_*.json",
                TpchSizes.QueryCount,
                Required: true,
                "github.com/duowuyms/NetLLM cluster_job_scheduling/data/tpch, converted to JSON (see data/cjs/README.md)",
                ValidateQuery))
            .Append(new DataRequirement(
                "cjs/models/decima/model_state_dict.json",
                null,
                1,
                Required: false,
                "github.com/duowuyms/NetLLM cluster_job_scheduling/models/decima/model.pt, exported to JSON (see data/cjs/README.md)"))
            .ToList();

    /// <inheritdoc />
    public IReadOnlyList<TaskVerb> Verbs => Runnable;

    /// <inheritdoc />
    public TaskReport Run(TaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Verb switch
        {
            TaskVerb.Test => CjsTestVerb.Run(request),
            TaskVerb.Bench => CjsBenchVerb.Run(request),
            _ => throw new NotSupportedException(
                $"cjs: the {request.Verb.ToString().ToLowerInvariant()} verb is not available; this task runs test and bench"),
        };
    }

    /// <summary>The TPC-H catalog of the request's data root; throws naming the problem.</summary>
    /// <param name="request">The request.</param>
    internal static TpchCatalog Catalog(TaskRequest request) =>
        TpchCatalog.OpenDataRoot(request.DataRoot ?? throw new ArgumentException("cjs needs a data root (--data-root or NETLLM_DATA_ROOT)"));

    private static string? ValidateQuery(string path)
    {
        try
        {
            TpchJsonLoader.Load(path);
            return null;
        }
        catch (InvalidDataException e)
        {
            return e.Message;
        }
    }
}
