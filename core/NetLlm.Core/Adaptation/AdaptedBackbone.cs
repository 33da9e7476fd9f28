using System.Text.Json.Nodes;
using NetLlm.Abstractions.Backbones;
using NetLlm.Abstractions.Plugins;
using NetLlm.Core.IO;
using NetLlm.Core.Lora;
using TorchSharp;
using TorchSharp.Modules;

namespace NetLlm.Core.Adaptation;

/// <summary>
/// A backbone prepared for adaptation — created from a model folder or a preset, with a LoRA adapter attached (fully
/// trainable with rank -1, frozen with rank 0) — and the same backbone restored from a run directory.
/// </summary>
public sealed class AdaptedBackbone : IDisposable
{
    private AdaptedBackbone(IBackbone backbone, LoraModel? lora, JsonObject description)
    {
        Backbone = backbone;
        Lora = lora;
        Description = description;
    }

    /// <summary>The backbone.</summary>
    public IBackbone Backbone { get; }

    /// <summary>The options with the backbone's defaults filled in (preset name, LoRA targets), as run.json records them.</summary>
    public AdaptationOptions Options { get; private init; } = new();

    /// <summary>The attached adapter (null with full fine-tuning or a frozen backbone).</summary>
    public LoraModel? Lora { get; }

    /// <summary>Where the backbone came from (recorded in run.json).</summary>
    public JsonObject Description { get; }

    /// <summary>Trainable backbone parameters (adapter, everything with full fine-tuning, none when frozen).</summary>
    public IReadOnlyList<Parameter> TrainableParameters =>
        Lora?.TrainableParameters() ?? Backbone.Module.parameters().Where(p => p.requires_grad).ToList();

    /// <summary>Creates the backbone for a new run and attaches the adapter.</summary>
    /// <param name="registry">Loaded plugins.</param>
    /// <param name="options">Adaptation options (model or preset, dtype, LoRA).</param>
    /// <param name="seed">Seed of the random initialisation and of the adapter.</param>
    public static AdaptedBackbone Create(IPluginRegistry registry, AdaptationOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        IBackbone backbone;
        IBackboneProvider provider;
        string? preset = null;
        if (options.Model is { } dir)
        {
            provider = BackboneFactory.ProviderFor(registry, dir);
            backbone = options.RandomInit
                ? BackboneFactory.FromModelShape(registry, dir, options.DType, seed)
                : provider.FromPretrained(dir, new BackboneLoadOptions { DType = options.DType, AllowPickle = options.AllowPickle, MapWeights = !options.CopyWeights });
        }
        else
        {
            (provider, preset, var config) = BackboneFactory.Preset(registry, options.BackbonePreset);
            backbone = provider.FromConfig(config, new BackboneLoadOptions { DType = options.DType, RandomInit = true, Seed = seed });
        }

        var resolved = options with
        {
            BackbonePreset = options.Model is null ? options.BackbonePreset ?? preset : null,
            TargetModules = options.Rank > 0 ? options.TargetModules ?? provider.DefaultLoraTargets : options.TargetModules,
        };
        var description = new JsonObject
        {
            ["source"] = options.Model is null ? "preset" : "model",
            ["preset"] = resolved.BackbonePreset,
            ["model"] = options.Model is null ? null : Path.GetFullPath(options.Model),
            ["family"] = backbone.Info.Family,
            ["model_type"] = backbone.Info.ModelType,
            ["layers"] = backbone.Info.NumLayers,
            ["hidden_size"] = backbone.Info.HiddenSize,
            ["parameters"] = backbone.Info.ParameterCount,
            ["dtype"] = options.DType,
            ["random_init"] = options.Model is null || options.RandomInit,
            ["init_seed"] = options.Model is null || options.RandomInit ? seed : null,
        };
        LoraModel? lora = null;
        if (options.Rank > 0)
        {
            try
            {
                lora = LoraModel.Apply(backbone.Module, resolved.Lora, seed: seed);
            }
            catch
            {
                backbone.Dispose();
                throw;
            }
        }
        else
        {
            // Rank -1 trains every backbone weight; rank 0 freezes them all (encoders and heads train alone).
            foreach (var p in backbone.Module.parameters())
            {
                p.requires_grad = options.Rank < 0;
            }
        }

        if (options.GradientCheckpointing)
        {
            if (backbone is not IGradientCheckpointing checkpointing)
            {
                backbone.Dispose();
                throw new NotSupportedException($"gradient checkpointing: the {backbone.Info.Family} backbone ({backbone.GetType().Name}) does not implement IGradientCheckpointing");
            }

            checkpointing.GradientCheckpointing = true;
        }

        return new AdaptedBackbone(backbone, lora, description) { Options = resolved };
    }

    /// <summary>Writes the base weights of a random-initialised backbone into the run (before training; they stay frozen).</summary>
    /// <param name="run">Run folder.</param>
    public void SaveBase(RunDirectory run)
    {
        if (Description["random_init"]?.GetValue<bool>() == true && Options.Rank >= 0)
        {
            ModuleStateFile.Save(Backbone.Module, run.Combine(RunDirectory.BackboneFile), name => !name.Contains(".lora_", StringComparison.Ordinal));
        }
    }

    /// <summary>Writes the trained backbone part (adapter, or all weights after full fine-tuning) into a folder.</summary>
    /// <param name="directory">Folder.</param>
    public void SaveTrained(string directory)
    {
        if (Options.Rank == 0)
        {
            return;
        }

        if (Lora is not null)
        {
            PeftAdapter.Save(Lora, Path.Combine(directory, RunDirectory.AdapterFolder));
        }
        else
        {
            ModuleStateFile.Save(Backbone.Module, Path.Combine(directory, RunDirectory.FineTunedBackboneFile));
        }
    }

    /// <summary>Reads the trained backbone part back from a folder written by <see cref="SaveTrained"/>.</summary>
    /// <param name="directory">Folder.</param>
    public void LoadTrained(string directory)
    {
        if (Options.Rank == 0)
        {
            return;
        }

        if (Lora is not null)
        {
            LoadAdapterWeights(Lora, Path.Combine(directory, RunDirectory.AdapterFolder));
        }
        else
        {
            ModuleStateFile.Load(Backbone.Module, Path.Combine(directory, RunDirectory.FineTunedBackboneFile));
        }
    }

    /// <summary>Restores the backbone of a finished run: base weights, then the adapter or fine-tuned weights.</summary>
    /// <param name="registry">Loaded plugins.</param>
    /// <param name="run">The run.</param>
    /// <param name="manifest">Its manifest.</param>
    /// <param name="weightsFolder">Folder holding the trained part (the run folder or a checkpoint).</param>
    public static AdaptedBackbone Load(IPluginRegistry registry, RunDirectory run, JsonObject manifest, string weightsFolder)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(manifest);
        var source = run.Combine(RunDirectory.ManifestFile);
        var b = manifest["backbone"] as JsonObject ?? throw new InvalidDataException($"{source}: missing 'backbone'");
        var adaptation = AdaptationOptions.FromJson(manifest["adaptation"] as JsonObject ?? throw new InvalidDataException($"{source}: missing 'adaptation'"), source);
        var record = RecordedBackbone.Read(b, source);
        if (record.DType != adaptation.DType)
        {
            throw new InvalidDataException($"{source}: backbone.dtype '{record.DType}' contradicts adaptation.dtype '{adaptation.DType}'");
        }

        IBackbone backbone;
        if (record.Model is { } dir && record.RandomInit)
        {
            backbone = BackboneFactory.FromModelShape(registry, dir, record.DType, record.InitSeed);
        }
        else if (record.Model is { } pretrained)
        {
            backbone = BackboneFactory.FromModel(registry, pretrained, new BackboneLoadOptions { DType = record.DType });
        }
        else
        {
            try
            {
                backbone = BackboneFactory.FromPreset(registry, record.Preset, record.DType, record.InitSeed);
            }
            catch (Exception e) when (e is ArgumentException or KeyNotFoundException)
            {
                throw new InvalidDataException($"{source}: backbone.preset: {e.Message}", e);
            }
        }

        try
        {
            record.CheckAgainst(backbone.Info, source);
            if (record.RandomInit)
            {
                var basePath = run.Combine(RunDirectory.BackboneFile);
                if (File.Exists(basePath))
                {
                    ModuleStateFile.Load(backbone.Module, basePath);
                }
            }

            var adapterDir = Path.Combine(weightsFolder, RunDirectory.AdapterFolder);
            LoraModel? lora = null;
            if (adaptation.Rank > 0)
            {
                lora = PeftAdapter.Load(backbone.Module, adapterDir);
                CheckAdapter(lora.Options, adaptation, adapterDir, source);
            }
            else
            {
                if (Directory.Exists(adapterDir))
                {
                    throw new InvalidDataException($"{source}: adaptation.rank is {adaptation.Rank} ({(adaptation.Rank == 0 ? "frozen backbone" : "full fine-tuning")}) but the run holds a LoRA adapter ({adapterDir})");
                }

                if (adaptation.Rank < 0)
                {
                    ModuleStateFile.Load(backbone.Module, Path.Combine(weightsFolder, RunDirectory.FineTunedBackboneFile));
                }
            }

            backbone.Module.eval();
            return new AdaptedBackbone(backbone, lora, b) { Options = adaptation };
        }
        catch
        {
            backbone.Dispose();
            throw;
        }
    }

    /// <summary>The adapter's own config must say what run.json says: a contradiction would silently change results.</summary>
    private static void CheckAdapter(LoraOptions adapter, AdaptationOptions recorded, string adapterDir, string source)
    {
        var config = Path.Combine(adapterDir, PeftAdapter.ConfigFile);
        if (adapter.Rank != recorded.Rank)
        {
            throw new InvalidDataException($"{source}: adaptation.rank is {recorded.Rank} but {config} has r = {adapter.Rank}");
        }

        if (Math.Abs(adapter.Alpha - recorded.LoraAlpha) > 1e-9 * Math.Max(1, Math.Abs(recorded.LoraAlpha)))
        {
            throw new InvalidDataException($"{source}: adaptation.lora_alpha is {recorded.LoraAlpha} but {config} has lora_alpha = {adapter.Alpha}");
        }

        if (recorded.TargetModules is { } targets && !targets.Order(StringComparer.Ordinal).SequenceEqual(adapter.TargetModules.Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            throw new InvalidDataException($"{source}: adaptation.target_modules [{string.Join(", ", targets)}] but {config} has [{string.Join(", ", adapter.TargetModules)}]");
        }
    }

    private static void LoadAdapterWeights(LoraModel lora, string directory)
    {
        var path = Path.Combine(directory, PeftAdapter.WeightsFile);
        using var file = SafetensorsFile.Open(path);
        using var noGrad = torch.no_grad();
        foreach (var (name, target) in PeftAdapter.StateDict(lora))
        {
            using var value = file.Read(file.Get(name).Name, target.dtype, target.device);
            target.copy_(value);
        }
    }

    /// <inheritdoc />
    public void Dispose() => Backbone.Dispose();
}
