using NetLlm.Core.Modules;
using System.Globalization;
using NetLlm.Abstractions.Backbones;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Core.Lora;

/// <summary>
/// A LoRA adapter attached to a model: the base parameters are frozen, the adapter's A and B matrices (plus the
/// biases and extra modules the options name) train. Merge folds the update into the base weights; Unmerge takes it
/// out again; Detach removes the adapter. The adapted layers own the adapter's modules.
/// </summary>
public sealed class LoraModel
{
    private readonly List<(string Path, AdaptableLinear Layer, LoraLinearAdapter Adapter)> _layers;

    private LoraModel(nn.Module root, LoraOptions options, string adapterName, List<(string, AdaptableLinear, LoraLinearAdapter)> layers)
    {
        Root = root;
        Options = options;
        AdapterName = adapterName;
        _layers = layers;
    }

    /// <summary>The adapted model's root module.</summary>
    public nn.Module Root { get; }

    /// <summary>The adapter's options.</summary>
    public LoraOptions Options { get; }

    /// <summary>Adapter name (PEFT's, <c>default</c>).</summary>
    public string AdapterName { get; }

    /// <summary>Adapted layers by module path.</summary>
    public IReadOnlyList<(string Path, AdaptableLinear Layer, LoraLinearAdapter Adapter)> Layers => _layers;

    /// <summary>
    /// Attaches a new adapter to every layer <paramref name="options"/> targets and freezes the rest of the model.
    /// Throws <see cref="ArgumentException"/> when nothing matches (listing a few adaptable layer names).
    /// </summary>
    /// <param name="root">The model (for a backbone, <see cref="IBackbone.Module"/>).</param>
    /// <param name="options">LoRA options.</param>
    /// <param name="adapterName">Adapter name.</param>
    /// <param name="seed">Seed of the A-matrix initialisation, or null to use the current torch random state.</param>
    public static LoraModel Apply(nn.Module root, LoraOptions options, string adapterName = "default", int? seed = null)
    {
        options.Validate();
        var targets = LoraTargets.Find(root, options);
        if (targets.Count == 0)
        {
            var available = root.named_modules().Where(m => m.module is AdaptableLinear).Select(m => m.name).Take(8).ToList();
            var wanted = options.TargetModulesRegex ?? string.Join(", ", options.TargetModules);
            throw new ArgumentException(available.Count == 0
                ? $"LoRA target_modules [{wanted}] match nothing: the model has no adaptable linear layers"
                : $"LoRA target_modules [{wanted}] match no layer; adaptable layers include: {string.Join(", ", available)}");
        }

        if (seed is { } s)
        {
            manual_seed(s);
        }

        foreach (var p in root.parameters())
        {
            p.requires_grad = false;
        }

        var layers = new List<(string, AdaptableLinear, LoraLinearAdapter)>();
        foreach (var (path, layer) in targets)
        {
            var adapter = new LoraLinearAdapter(adapterName, layer.InFeatures, layer.OutFeatures, options, AdapterDType(layer.Weight.dtype), layer.Weight.device);
            layer.Attach(adapter, adapter.Children);
            layers.Add((path, layer, adapter));
        }

        var model = new LoraModel(root, options, adapterName, layers);
        model.MarkTrainable();
        return model;
    }

    /// <summary>
    /// The dtype of adapter weights on a base layer of <paramref name="baseType"/>: float32 for a float16 or bfloat16
    /// base (PEFT's <c>autocast_adapter_dtype</c>: half-precision optimiser updates of small adapters lose most of
    /// their bits), else the base dtype.
    /// </summary>
    /// <param name="baseType">The adapted layer's weight dtype.</param>
    public static ScalarType AdapterDType(ScalarType baseType) =>
        baseType is ScalarType.BFloat16 or ScalarType.Float16 ? ScalarType.Float32 : baseType;

    private void MarkTrainable()
    {
        foreach (var (_, layer, adapter) in _layers)
        {
            adapter.A.weight.requires_grad = true;
            adapter.B.weight.requires_grad = true;
            if (Options.Bias == "lora_only" && layer.Bias is not null)
            {
                layer.Bias.requires_grad = true;
            }
        }

        if (Options.Bias == "all")
        {
            foreach (var (name, p) in Root.named_parameters())
            {
                if (name.EndsWith(".bias", StringComparison.Ordinal) && !name.Contains(".lora_", StringComparison.Ordinal))
                {
                    p.requires_grad = true;
                }
            }
        }

        foreach (var (name, p) in ModulesToSaveParameters())
        {
            _ = name;
            p.requires_grad = true;
        }
    }

    /// <summary>Parameters of the modules listed in <see cref="LoraOptions.ModulesToSave"/>, by full name.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> ModulesToSaveParameters()
    {
        if (Options.ModulesToSave is not { Count: > 0 } names)
        {
            yield break;
        }

        foreach (var (path, module) in Root.named_modules())
        {
            if (path.Length == 0 || !names.Any(n => LoraTargets.Matches(path, n)))
            {
                continue;
            }

            foreach (var (pname, p) in module.named_parameters())
            {
                yield return (path + "." + pname, p);
            }
        }
    }

    /// <summary>Trainable parameters (what an optimiser should update).</summary>
    public IReadOnlyList<Parameter> TrainableParameters() => Root.parameters().Where(p => p.requires_grad).ToList();

    /// <summary>Counts of trainable and total parameters (PEFT's <c>print_trainable_parameters</c>).</summary>
    public (long Trainable, long Total) CountParameters()
    {
        long trainable = 0, total = 0;
        foreach (var p in Root.parameters())
        {
            total += p.numel();
            if (p.requires_grad)
            {
                trainable += p.numel();
            }
        }

        return (trainable, total);
    }

    /// <summary>PEFT-style summary line.</summary>
    public string Describe()
    {
        var (trainable, total) = CountParameters();
        return string.Create(CultureInfo.InvariantCulture, $"trainable params: {trainable:N0} || all params: {total:N0} || trainable%: {100.0 * trainable / total:0.####} || adapted layers: {_layers.Count} (r={Options.Rank}, alpha={Options.Alpha})");
    }

    /// <summary>Folds the update into the base weights of every adapted layer.</summary>
    public void Merge()
    {
        foreach (var (_, layer, _) in _layers)
        {
            layer.Merge(AdapterName);
        }
    }

    /// <summary>Takes a merged update out of the base weights again.</summary>
    public void Unmerge()
    {
        foreach (var (_, layer, _) in _layers)
        {
            layer.Unmerge(AdapterName);
        }
    }

    /// <summary>
    /// PEFT's <c>merge_and_unload</c>: merges the update and removes the adapter, leaving a plain model whose weights
    /// include the update (the adapter's modules are disposed).
    /// </summary>
    public void MergeAndUnload()
    {
        Merge();
        foreach (var (_, layer, adapter) in _layers)
        {
            layer.Detach(AdapterName, LoraLinearAdapter.ChildNames, keepMergedUpdate: true);
            adapter.A.Dispose();
            adapter.B.Dispose();
        }

        _layers.Clear();
    }

    /// <summary>Removes the adapter without merging (the base model is restored).</summary>
    public void Unload()
    {
        foreach (var (_, layer, adapter) in _layers)
        {
            layer.Detach(AdapterName, LoraLinearAdapter.ChildNames);
            adapter.A.Dispose();
            adapter.B.Dispose();
        }

        _layers.Clear();
    }
}
