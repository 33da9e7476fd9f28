using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Baselines.Decima;
using NetLlm.Baselines.RandomScheduling;
using NetLlm.Baselines.RoundRobin;
using NetLlm.Core.Engine;
using NetLlm.Core.Plugins;
using NetLlm.Encoders.Graph;
using NetLlm.Tasks.JobScheduling.Data;
using NetLlm.Tasks.JobScheduling.Scoring;
using NetLlm.Tasks.JobScheduling.Simulation;
using NetLlm.Testing;

namespace NetLlm.Tasks.JobScheduling.Tests;

/// <summary>Shared test data: the TPC-H catalog of the data root, small settings, episode helpers, the plugins of CJS.</summary>
internal static class CjsTestData
{
    /// <summary>
    /// The data root the tests read CJS data from: the full one when present, else the small one in tests/fixtures/data
    /// (TPC-H query 1 at 2g, JSON and .npy, and the Decima weights). Tests that run episodes draw queries of every size,
    /// so they need the full data root: [DataFact("cjs")].
    /// </summary>
    public static string Root => TestPaths.DataRootFor("cjs");

    /// <summary>The catalog of <see cref="Root"/>.</summary>
    public static TpchCatalog Catalog => TpchCatalog.OpenDataRoot(Root);

    /// <summary>A path under <see cref="Root"/>, asserting that it exists.</summary>
    public static string Data(string relative)
    {
        var path = Path.Combine(Root, relative);
        return File.Exists(path) || Directory.Exists(path) ? path : throw new FileNotFoundException($"test data not found: {path} (see docs/testing.md)", path);
    }

    /// <summary>The JSON file of one query.</summary>
    public static string QueryJson(string size, int query) => Data($"cjs/tpch_json/{size}/query_{query}.json");

    /// <summary>The default Decima weights (JSON export).</summary>
    public static string DecimaJson => Data("cjs/models/decima/model_state_dict.json");

    /// <summary>The original Decima checkpoint.</summary>
    public static string DecimaPt => Data("cjs/models/decima/model.pt");

    /// <summary>A small cluster and workload for fast episodes.</summary>
    public static SparkSimulatorOptions Small(int jobs = 20, int executors = 10) => new(jobs, executors);

    /// <summary>The task, its baselines and the graph encoder, as the plugin host would load them (plus <paramref name="more"/>).</summary>
    public static PluginRegistry Registry(CjsTask task, IEnumerable<Abstractions.Backbones.IBackboneProvider>? backbones = null, IEnumerable<Abstractions.Encoders.IEncoderProvider>? more = null) => new(
        tasks: [task],
        policies: [new FifoPolicyProvider(), new FairPolicyProvider(), new RandomPolicyProvider(), new DecimaPolicyProvider()],
        backbones: backbones,
        encoders: new Abstractions.Encoders.IEncoderProvider[] { new DagGnnEncoderProvider() }.Concat(more ?? []));

    /// <summary>Runs one episode of <paramref name="policy"/> on a fresh environment seeded with <paramref name="seed"/>.</summary>
    public static CjsEpisode Run(IPolicy<CjsObservation, CjsAction> policy, SparkSimulatorOptions options, int seed)
    {
        using var env = new SparkSchedulingEnvironment(Catalog, options);
        var scorer = new CjsScorer();
        EpisodeRunner.Run(env, policy, 1, seed, scorer);
        return scorer.Episodes[0];
    }

    /// <summary>Decima with the default JSON weights.</summary>
    public static IPolicy<CjsObservation, CjsAction> Decima(int seed = 1, bool argmax = false) =>
        new DecimaPolicyProvider().Create(Context(seed), new DecimaOptions { Argmax = argmax });

    /// <summary>A policy context on the shared data root.</summary>
    public static PolicyContext Context(int seed) => new(new TaskContext { DataRoot = Root, Seed = seed }, null);
}
