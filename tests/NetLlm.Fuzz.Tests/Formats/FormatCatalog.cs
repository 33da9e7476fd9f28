using NetLlm.Fuzz.Tests.Mutation;
using NetLlm.Fuzz.Tests.Running;
using NetLlm.Testing;

namespace NetLlm.Fuzz.Tests.Formats;

/// <summary>
/// The formats the suite damages, each read through the command line a user would run: Hugging Face configs,
/// safetensors weights, .npy inputs, PEFT adapters (config and weights), ABR traces and chunk sizes, TPC-H DAGs, VP
/// viewport CSVs, netllm.json, experience pools and adapted runs' run.json. Seeds are the repository's small
/// fixtures (tests/fixtures), so the suite needs no data root.
/// </summary>
public static class FormatCatalog
{
    private static readonly string[] Architectures = ["gpt2", "opt", "llama", "mistral"];

    /// <summary>Every format, reading artifacts from <paramref name="artifacts"/>.</summary>
    /// <param name="artifacts">The pool and run the suite makes.</param>
    /// <param name="bundledPlugins">The plugins folder of the executable under test (every shipped plugin).</param>
    public static IReadOnlyList<FuzzFormat> All(FuzzArtifacts artifacts, string bundledPlugins) =>
    [
        Backbone("hf-config", "config.json of a Hugging Face model folder (backbone forward)", "model/config.json", JsonMutator.Mutate),
        Backbone("safetensors-weights", "model.safetensors of a model folder (backbone forward)", "model/model.safetensors", SafetensorsMutator.Mutate),
        Backbone("npy-inputs", ".npy token ids, attention mask or embeddings (backbone forward)", null, NpyMutator.Mutate),
        Adapter("peft-config", "adapter_config.json of a PEFT LoRA adapter (backbone forward --adapter)", "adapter/adapter_config.json", JsonMutator.Mutate),
        Adapter("peft-weights", "adapter_model.safetensors of a PEFT LoRA adapter (backbone forward --adapter)", "adapter/adapter_model.safetensors", SafetensorsMutator.Mutate),
        AbrFiles("abr-trace", "an ABR bandwidth trace (test --task abr --traces)", "traces", TextMutator.Mutate),
        AbrFiles("abr-video", "an ABR chunk-size file (test --task abr --video)", "video", TextMutator.Mutate),
        Tpch(),
        Viewports(),
        Configuration(),
        Pool(artifacts),
        RunManifest(artifacts),
        PluginFolder(bundledPlugins),
    ];

    private static FuzzFormat Backbone(string name, string reader, string? target, Func<byte[], Random, (byte[], string)> mutate) => new()
    {
        Name = name,
        Reader = reader,
        Prepare = (dir, random) =>
        {
            var arch = Architectures[random.Next(Architectures.Length)];
            Copy(TestPaths.Fixture($"golden/{arch}/model"), Path.Combine(dir, "model"), "config.json", "model.safetensors");
            var inputs = Directory.CreateDirectory(Path.Combine(dir, "inputs")).FullName;
            var useEmbeddings = target is null && random.Next(3) == 0;
            var files = useEmbeddings ? new[] { "inputs_embeds.npy" } : ["input_ids.npy", "attention_mask.npy"];
            Copy(TestPaths.Fixture($"golden/{arch}/inputs"), inputs, files);
            return Path.Combine(dir, target ?? Path.Combine("inputs", files[random.Next(files.Length)]));
        },
        Mutate = mutate,
        Command = dir => Forward(dir, adapter: false),
        Check = (dir, _) => ResultChecks.FiniteNpy(Path.Combine(dir, "out.npy")),
    };

    private static FuzzFormat Adapter(string name, string reader, string target, Func<byte[], Random, (byte[], string)> mutate) => new()
    {
        Name = name,
        Reader = reader,
        Prepare = (dir, _) =>
        {
            Copy(TestPaths.Fixture("golden/llama/model"), Path.Combine(dir, "model"), "config.json", "model.safetensors");
            Copy(TestPaths.Fixture("golden/llama/lora/adapter"), Path.Combine(dir, "adapter"), "adapter_config.json", "adapter_model.safetensors");
            Copy(TestPaths.Fixture("golden/llama/inputs"), Path.Combine(dir, "inputs"), "input_ids.npy", "attention_mask.npy");
            return Path.Combine(dir, target);
        },
        Mutate = mutate,
        Command = dir => Forward(dir, adapter: true),
        Check = (dir, _) => ResultChecks.FiniteNpy(Path.Combine(dir, "out.npy")),
    };

    private static IReadOnlyList<string> Forward(string dir, bool adapter)
    {
        var inputs = Path.Combine(dir, "inputs");
        var embeds = Path.Combine(inputs, "inputs_embeds.npy");
        List<string> args = ["backbone", "forward", "--model", Path.Combine(dir, "model"), "--out", Path.Combine(dir, "out.npy"), "--threads", "1", "--progress", "none"];
        args.AddRange(File.Exists(embeds)
            ? ["--inputs-embeds", embeds, "--output", "last_hidden_state"]
            : ["--input-ids", Path.Combine(inputs, "input_ids.npy"), "--attention-mask", Path.Combine(inputs, "attention_mask.npy"), "--output", "logits"]);
        if (adapter)
        {
            args.AddRange(["--adapter", Path.Combine(dir, "adapter")]);
        }

        return args;
    }

    private static FuzzFormat AbrFiles(string name, string reader, string damaged, Func<byte[], Random, (byte[], string)> mutate) => new()
    {
        Name = name,
        Reader = reader,
        Prepare = (dir, random) =>
        {
            var traces = Copy(TestPaths.Fixture("data/abr/traces/test/fcc-test"), Path.Combine(dir, "traces"));
            var video = Copy(TestPaths.Fixture("data/abr/videos/video1_sizes"), Path.Combine(dir, "video"));
            var files = Directory.GetFiles(damaged == "traces" ? traces : video).Order(StringComparer.Ordinal).ToArray();
            return files[random.Next(files.Length)];
        },
        Mutate = mutate,
        Command = dir => ["test", "--task", "abr", "--policy", "abr.bba", "--traces", Path.Combine(dir, "traces"), "--video", Path.Combine(dir, "video"), "--json", "--progress", "none", "--threads", "1"],
        Check = (_, result) => ResultChecks.FiniteJson(result),
    };

    private static FuzzFormat Tpch() => new()
    {
        Name = "cjs-tpch",
        Reader = "a TPC-H job DAG (test --task cjs; every query of every size is a copy of the damaged file)",
        Prepare = (dir, _) =>
        {
            var folder = Directory.CreateDirectory(Path.Combine(dir, "data", "cjs", "tpch_json", "2g")).FullName;
            var target = Path.Combine(folder, "query_1.json");
            File.Copy(TestPaths.Fixture("data/cjs/tpch_json/2g/query_1.json"), target);
            return target;
        },
        Mutate = JsonMutator.Mutate,
        AfterDamage = (dir, target) =>
        {
            // The workload samples any of 22 queries at 7 sizes: each is a copy of the damaged file whose identity
            // fields are rewritten (when the damage left them as they were) to the query and size it stands for.
            var damaged = File.ReadAllText(target);
            foreach (var size in new[] { "2g", "5g", "10g", "20g", "50g", "80g", "100g" })
            {
                var folder = Directory.CreateDirectory(Path.Combine(dir, "data", "cjs", "tpch_json", size)).FullName;
                for (var q = 1; q <= 22; q++)
                {
                    var copy = Path.Combine(folder, $"query_{q}.json");
                    if (copy != target)
                    {
                        File.WriteAllText(copy, ReplaceFirst(ReplaceFirst(damaged, "\"query\": 1,", $"\"query\": {q},"), "\"size\": \"2g\"", $"\"size\": \"{size}\""));
                    }
                }
            }
        },
        Command = dir => ["test", "--task", "cjs", "--policy", "cjs.fifo", "--data-root", Path.Combine(dir, "data"), "--jobs", "3", "--executors", "5", "--json", "--progress", "none", "--threads", "1"],
        Check = (_, result) => ResultChecks.FiniteJson(result),
    };

    private static FuzzFormat Viewports() => new()
    {
        Name = "vp-csv",
        Reader = "a viewport trace CSV (test --task vp --videos 1 --viewers 50)",
        Prepare = (dir, _) =>
        {
            const string relative = "vp/viewports/Jin2022/video1/5Hz/simple_5Hz_user50.csv";
            var target = Path.Combine(dir, "data", relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(TestPaths.Fixture("data/" + relative), target);
            return target;
        },
        Mutate = TextMutator.Mutate,
        Command = dir => ["test", "--task", "vp", "--policy", "vp.lr", "--data-root", Path.Combine(dir, "data"), "--videos", "1", "--viewers", "50", "--json", "--progress", "none", "--threads", "1"],
        Check = (_, result) => ResultChecks.FiniteJson(result),
    };

    private static FuzzFormat Configuration() => new()
    {
        Name = "netllm-json",
        Reader = "a configuration file (--config)",
        Prepare = (dir, _) =>
        {
            var path = Path.Combine(dir, "netllm.json");
            File.WriteAllText(path, """{ "seed": 3, "threads": 1, "progress": "none", "tasks": { "abr": { "synthetic-count": "2", "trace-count": "2" } } }""");
            return path;
        },
        Mutate = JsonMutator.Mutate,
        Command = dir => ["test", "--task", "abr", "--policy", "abr.bba", "--synthetic", "--config", Path.Combine(dir, "netllm.json"), "--json"],
        Check = (_, result) => ResultChecks.FiniteJson(result),
    };

    private static FuzzFormat Pool(FuzzArtifacts artifacts) => new()
    {
        Name = "experience-pool",
        Reader = "an experience pool (adapt --pool, 1 optimiser step)",
        Prepare = (dir, _) =>
        {
            var target = Path.Combine(dir, "pool.safetensors");
            File.Copy(artifacts.Pool, target);
            return target;
        },
        Mutate = SafetensorsMutator.Mutate,
        Command = dir => ["adapt", "--task", "abr", "--pool", Path.Combine(dir, "pool.safetensors"), "--out", Path.Combine(dir, "run"), "--backbone", "llama-tiny-2x256", "--batch-size", "4", "--max-steps", "1", "--w", "4", "--json", .. FuzzArtifacts.SyntheticAbr],
        Check = (_, result) => ResultChecks.FiniteJson(result),
        Limit = TimeSpan.FromSeconds(120),
    };

    private static FuzzFormat RunManifest(FuzzArtifacts artifacts) => new()
    {
        Name = "run-json",
        Reader = "run.json of an adapted run (test --policy RUN)",
        Prepare = (dir, _) =>
        {
            var run = Copy(artifacts.Run, Path.Combine(dir, "run"));
            return Path.Combine(run, "run.json");
        },
        Mutate = JsonMutator.Mutate,
        Command = dir => ["test", "--task", "abr", "--policy", Path.Combine(dir, "run"), "--json", .. FuzzArtifacts.SyntheticAbr],
        Check = (_, result) => ResultChecks.FiniteJson(result),
        Limit = TimeSpan.FromSeconds(120),
    };

    private static FuzzFormat PluginFolder(string bundledPlugins) => new()
    {
        Name = "plugin-folder",
        Reader = "a plugin folder next to the shipped ones (plugins --plugins-dir): a fixture plugin or a copy of abr.bba's",
        Prepare = (dir, random) =>
        {
            // Either a plugin of its own or a damaged copy of a shipped one (a copy must never disable the original).
            var (source, name) = random.Next(2) == 0
                ? (Path.Combine(TestPaths.RepoRoot ?? throw new InvalidOperationException("the suite runs from a checkout"), "artifacts", "test-plugins", "NetLlm.Fixtures.Good"), "NetLlm.Fixtures.Good")
                : (Path.Combine(bundledPlugins, "NetLlm.Baselines.Bba"), "NetLlm.Baselines.Bba");
            var folder = Copy(source, Path.Combine(dir, "plugins", name));
            var files = new[] { name + ".dll", name + ".deps.json" };
            return Path.Combine(folder, files[random.Next(files.Length)]);
        },
        Mutate = (bytes, random) => bytes.Length > 2 && bytes[0] == (byte)'M' && bytes[1] == (byte)'Z'
            ? BinaryMutator.Mutate(bytes, random)
            : JsonMutator.Mutate(bytes, random),
        Command = dir => ["plugins", "--plugins-dir", bundledPlugins, "--plugins-dir", Path.Combine(dir, "plugins"), "--json"],
        Check = (_, result) => PluginChecks.EveryShippedPluginLoads(result, bundledPlugins),
        RunsAsProcess = true,
    };

    private static string ReplaceFirst(string text, string what, string with)
    {
        var at = text.IndexOf(what, StringComparison.Ordinal);
        return at < 0 ? text : text[..at] + with + text[(at + what.Length)..];
    }

    private static string Copy(string source, string destination, params string[] only)
    {
        Directory.CreateDirectory(destination);
        var files = only.Length > 0 ? only.Select(f => Path.Combine(source, f)) : Directory.GetFiles(source);
        foreach (var file in files)
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        if (only.Length == 0)
        {
            foreach (var sub in Directory.GetDirectories(source))
            {
                Copy(sub, Path.Combine(destination, Path.GetFileName(sub)));
            }
        }

        return destination;
    }
}
