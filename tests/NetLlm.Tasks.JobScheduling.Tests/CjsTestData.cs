using NetLlm.Abstractions.Policies;
using NetLlm.Baselines.Scheduling;
using NetLlm.Tasks.JobScheduling.Data;
using NetLlm.Tasks.JobScheduling.Definition;
using NetLlm.Tasks.JobScheduling.Simulation;
using NetLlm.Testing;

namespace NetLlm.Tasks.JobScheduling.Tests;

/// <summary>Shared test data: the TPC-H catalog of the data root, small settings, episode helpers.</summary>
internal static class CjsTestData
{
    /// <summary>The catalog of the shared data root.</summary>
    public static TpchCatalog Catalog => TpchCatalog.OpenDataRoot(TestPaths.DataRoot);

    /// <summary>The JSON file of one query.</summary>
    public static string QueryJson(string size, int query) => TestPaths.Data($"cjs/tpch_json/{size}/query_{query}.json");

    /// <summary>The default Decima weights (JSON export).</summary>
    public static string DecimaJson => TestPaths.Data("cjs/models/decima/model_state_dict.json");

    /// <summary>The original Decima checkpoint.</summary>
    public static string DecimaPt => TestPaths.Data("cjs/models/decima/model.pt");

    /// <summary>A small cluster and workload for fast episodes.</summary>
    public static SparkSimulatorOptions Small(int jobs = 20, int executors = 10) => new(jobs, executors);

    /// <summary>Runs one episode of <paramref name="policy"/> on a fresh environment.</summary>
    public static EpisodeResult Run(IPolicy<CjsObservation, CjsAction> policy, SparkSimulatorOptions options, int seed)
    {
        using var env = new SparkSchedulingEnvironment(Catalog, options);
        return EpisodeRunner.Run(env, policy, seed);
    }

    /// <summary>Decima with the default JSON weights.</summary>
    public static DecimaScheduler Decima(int seed = 1, bool argmax = false) =>
        (DecimaScheduler)new DecimaPolicyProvider().Create(new PolicyRequest(
            seed,
            TestPaths.DataRoot,
            argmax ? new Dictionary<string, string> { ["argmax"] = "true" } : new Dictionary<string, string>()));
}
