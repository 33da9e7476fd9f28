using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Tasks.JobScheduling.Adaptation;
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

    private static readonly TaskVerb[] Runnable = [TaskVerb.Collect, TaskVerb.Adapt, TaskVerb.Test, TaskVerb.Bench];
    private static readonly TaskVerb[] Running = [TaskVerb.Collect, TaskVerb.Test, TaskVerb.Bench];

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
        new(CjsSettings.Episodes, "episodes to run (per policy for collect), with seeds seed, seed+1, ... (default 1)", OptionKind.Integer, Running),
        new(CjsSettings.Argmax, "neural schedulers pick their most likely action instead of sampling", OptionKind.Flag, Running),
        new("decima-weights", "Decima weights under the data root (default cjs/models/decima/model_state_dict.json; a .pt file needs --allow-pickle)", OptionKind.Text, Running),
        new("allow-pickle", "allow reading Decima weights from a torch.save (.pt) file", OptionKind.Flag, Running),
        new(CjsSettings.BenchRepeats, "timed episodes per scheduler in the benchmark, after a warm-up of at least 2 s (default 5)", OptionKind.Integer, [TaskVerb.Bench]),
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
            TaskVerb.Collect => Collect(request),
            TaskVerb.Adapt => DecisionTaskVerbs.Adapt(new CjsTaskBinding(), request),
            _ => throw new NotSupportedException($"cjs: unknown verb {request.Verb}"),
        };
    }

    /// <summary>The TPC-H catalog of the request's data root; throws naming the problem.</summary>
    /// <param name="request">The request.</param>
    internal static TpchCatalog Catalog(TaskRequest request) =>
        TpchCatalog.OpenDataRoot(request.DataRoot ?? throw new ArgumentException("cjs needs a data root (--data-root or NETLLM_DATA_ROOT)"));

    private static TaskReport Collect(TaskRequest request)
    {
        var args = request.Arguments.WithDefaults(CjsSettings.Default.Values);
        var episodes = args.Integer(CjsSettings.Episodes, 1);
        return DecisionTaskVerbs.Collect(new CjsTaskBinding(), request, episodes, id => CjsPolicyResolver.Create(id, request, args));
    }

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
