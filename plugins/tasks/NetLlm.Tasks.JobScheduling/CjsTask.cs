using System.Text.Json.Nodes;
using NetLlm.Abstractions.Encoders.Modalities;
using NetLlm.Abstractions.Environments;
using NetLlm.Abstractions.Models;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Data;
using NetLlm.Tasks.JobScheduling.Bench;
using NetLlm.Tasks.JobScheduling.Data;
using NetLlm.Tasks.JobScheduling.Model;
using NetLlm.Tasks.JobScheduling.Options;
using NetLlm.Tasks.JobScheduling.Scoring;
using NetLlm.Tasks.JobScheduling.Simulation;

namespace NetLlm.Tasks.JobScheduling;

/// <summary>
/// Cluster job scheduling (<c>cjs</c>): DAG jobs (TPC-H queries) arrive at a Spark cluster and a scheduler picks the
/// next stage and how many executors it gets, to minimise the average job completion time. The environment is the
/// spark-sched-sim port (<see cref="SparkSchedulingEnvironment"/>); NetLLM's model encodes the job DAGs with the
/// <c>graph</c> encoder of slot <see cref="CjsTokenizer.StateSlot"/> and answers with a stage head and an executor head.
/// </summary>
public sealed class CjsTask : IDecisionTask<CjsObservation, CjsAction, CjsOptions, CjsModelOptions>, ITaskBenchmark<CjsOptions>
{
    /// <summary>The task id.</summary>
    public const string TaskId = "cjs";

    /// <summary>The default Decima weights under the data root (the <c>cjs.decima</c> baseline's).</summary>
    public const string DecimaWeights = "cjs/models/decima/model_state_dict.json";

    /// <inheritdoc />
    public TaskInfo Info { get; } = new()
    {
        Id = TaskId,
        Title = "Cluster job scheduling",
        Kind = TaskKind.Decision,
        Description = "DAG jobs (TPC-H queries) arrive at a Spark cluster; a scheduler picks the next stage and how many executors it gets, to minimise the average job completion time (spark-sched-sim port).",
        Metric = new MetricInfo(
            "avg_jct_s",
            "s",
            HigherIsBetter: false,
            "average job completion time of an episode: min(completion, end) - arrival over every job, in seconds; averaged over the run's episodes")
        {
            Label = "average JCT",
            ItemLabel = "job",
            ItemQuantity = "job completion time",
        },
        Baselines = ["cjs.fifo", "cjs.fair", "cjs.decima", "cjs.random"],
        Data = Manifest.Attach(TpchSizes.All.Select(size => new DataRequirement(
                $"cjs/tpch_json/{size}",
                "query_*.json",
                TpchSizes.QueryCount,
                Required: true,
                "github.com/duowuyms/NetLLM cluster_job_scheduling/data/tpch, converted to JSON (see data/cjs/README.md)",
                ValidateQuery))
            .Append(new DataRequirement(
                DecimaWeights,
                null,
                1,
                Required: false,
                "github.com/duowuyms/NetLLM cluster_job_scheduling/models/decima/model.pt, exported to JSON (see data/cjs/README.md)"))
            .Append(new DataRequirement("cjs/models/decima/model.pt", null, 1, Required: false, "github.com/duowuyms/NetLLM cluster_job_scheduling/models/decima/model.pt (the PyTorch pickle the JSON weights were exported from)"))
            .Append(new DataRequirement("cjs/tpch", "*.npy", 462, Required: false, "github.com/duowuyms/NetLLM cluster_job_scheduling/data/tpch (the original .npy DAGs cjs/tpch_json was converted from)") { Recursive = true })
            .Append(new DataRequirement("cjs/README.md", null, 1, Required: false, "notes of the cjs data folder: formats, sources, licences"))
            .ToList()),
        DataSources = Manifest.Sources,
    };

    /// <summary>The known files of the cjs data folder (sizes, SHA-256, public URLs), embedded from <c>Data/data-manifest.tsv</c>.</summary>
    private static DataManifest Manifest => DataManifest.FromResource(typeof(CjsTask).Assembly, "data-manifest.tsv");

    /// <inheritdoc />
    public IReadOnlyList<ITaskSetting> Settings => CjsSettings.All;

    /// <inheritdoc />
    public EpisodeProtocol Protocol => EpisodeProtocol.Default;

    /// <inheritdoc />
    public IStateCodec<CjsObservation> States { get; } = new CjsObservationCodec();

    /// <inheritdoc />
    public IActionCodec<CjsObservation, CjsAction> Actions { get; } = new CjsActionCodec();

    /// <inheritdoc />
    public IEnvironment<CjsObservation, CjsAction> CreateEnvironment(CjsOptions options, TaskContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        var dataRoot = context.DataRoot ?? throw new ArgumentException("cjs needs a data root with cjs/tpch_json (--data-root DIR or NETLLM_DATA_ROOT; `netllm data fetch` gets it)");
        return new SparkSchedulingEnvironment(TpchCatalog.OpenDataRoot(dataRoot), Simulator(options));
    }

    /// <inheritdoc />
    public int Episodes(CjsOptions options, IEnvironment<CjsObservation, CjsAction> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Episodes;
    }

    /// <inheritdoc />
    public IRunScorer<CjsObservation, CjsAction> CreateScorer(CjsOptions options, ScoringContext context) => new CjsScorer();

    /// <inheritdoc />
    public DecisionModelDesign<CjsObservation> DesignModel(CjsModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new DecisionModelDesign<CjsObservation>
        {
            Encoders =
            [
                new EncoderSlot(
                    CjsTokenizer.StateSlot,
                    "graph",
                    typeof(DagBatch),
                    typeof(DagEncoding),
                    [CjsObservation.FeatureCount],
                    "encoder.dag-gnn",
                    "the active jobs' DAGs (5 features per stage): node, DAG and global embeddings")
                {
                    Width = options.Sfd,
                },
            ],
            Heads =
            [
                new HeadSlot("stage_action_head2", HeadKind.Categorical, CjsChoices.StageOutputs, options.AlwaysStage ? "the stage among the first 100 schedulable ones ('no stage', index 100, is never offered)" : "the stage among the first 100 schedulable ones, or 'no stage' (index 100)"),
                new HeadSlot("exec_action_head", HeadKind.Categorical, CjsChoices.MaxExecutors, "executors to commit minus one, below the stage's job's commit cap"),
            ],
            CreateTokenizer = context => new CjsTokenizer(context, options.AlwaysStage),
        };
    }

    /// <inheritdoc />
    public JsonObject RunBenchmark(CjsOptions options, TaskContext context, bool quick) => CjsBenchmark.Run(this, options, context, quick);

    /// <summary>The simulator's parameters; throws <see cref="ArgumentException"/> naming a bad option.</summary>
    /// <param name="options">The options.</param>
    public static SparkSimulatorOptions Simulator(CjsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var simulator = new SparkSimulatorOptions(options.Jobs, options.Executors, options.ArrivalRate, options.MovingDelay, options.WarmupDelay);
        simulator.Validate();
        return simulator;
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
