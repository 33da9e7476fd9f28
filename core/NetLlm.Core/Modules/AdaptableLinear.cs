using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Core.Modules;

/// <summary>
/// The linear layer every backbone uses for its projections, so that adapters can be attached by module name
/// without rewriting the model. Holds <c>weight</c> (and optionally <c>bias</c>) under the Hugging Face names.
/// With <see cref="FanInFanOut"/> the weight is stored <c>[in, out]</c> (GPT-2's <c>Conv1D</c>); otherwise
/// <c>[out, in]</c> as <c>nn.Linear</c>.
/// </summary>
public sealed class AdaptableLinear : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly Parameter weight;
    private readonly Parameter? bias;
#pragma warning restore IDE1006
    private readonly List<ILinearAdapter> _adapters = [];
    private readonly HashSet<string> _merged = [];

    /// <summary>
    /// Creates a layer with zero-initialised weights (backbones load or initialise them afterwards; inside
    /// <see cref="ParameterAllocation.SkipInitialization"/> they are left unwritten for a checkpoint to fill).
    /// </summary>
    /// <param name="inFeatures">Input width.</param>
    /// <param name="outFeatures">Output width.</param>
    /// <param name="hasBias">Whether the layer has a bias.</param>
    /// <param name="fanInFanOut">Store the weight as <c>[in, out]</c> (GPT-2 <c>Conv1D</c>).</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device (may be <c>meta</c>).</param>
    public AdaptableLinear(long inFeatures, long outFeatures, bool hasBias = true, bool fanInFanOut = false, ScalarType dtype = ScalarType.Float32, Device? device = null)
        : base(nameof(AdaptableLinear))
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        FanInFanOut = fanInFanOut;
        var shape = fanInFanOut ? new[] { inFeatures, outFeatures } : new[] { outFeatures, inFeatures };
        weight = new Parameter(ParameterAllocation.Zeros(shape, dtype, device));
        bias = hasBias ? new Parameter(ParameterAllocation.Zeros([outFeatures], dtype, device)) : null;
        RegisterComponents();
    }

    /// <summary>Input width.</summary>
    public long InFeatures { get; }

    /// <summary>Output width.</summary>
    public long OutFeatures { get; }

    /// <summary>True when the weight is stored <c>[in, out]</c>.</summary>
    public bool FanInFanOut { get; }

    /// <summary>The weight parameter (owned by this module).</summary>
    public Parameter Weight => weight;

    /// <summary>The bias parameter, if any (owned by this module).</summary>
    public Parameter? Bias => bias;

    /// <summary>Attached adapters, in attachment order.</summary>
    public IReadOnlyList<ILinearAdapter> Adapters => _adapters;

    /// <summary>Names of adapters currently merged into <see cref="Weight"/>.</summary>
    public IReadOnlyCollection<string> MergedAdapters => _merged;

    /// <summary>
    /// Attaches an adapter and registers its modules as children (so they appear in <c>named_parameters</c> and
    /// the state dict under <c>&lt;this&gt;.&lt;childName&gt;</c>). The layer owns the registered modules.
    /// </summary>
    /// <param name="adapter">The adapter.</param>
    /// <param name="children">Its modules, by child name (for LoRA <c>lora_A</c>, <c>lora_B</c>).</param>
    public void Attach(ILinearAdapter adapter, IEnumerable<KeyValuePair<string, nn.Module>> children)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        if (_adapters.Any(a => a.Name == adapter.Name))
        {
            throw new InvalidOperationException($"An adapter named '{adapter.Name}' is already attached.");
        }

        foreach (var (name, module) in children)
        {
            register_module(name, module);
        }

        _adapters.Add(adapter);
    }

    /// <summary>
    /// Detaches an adapter and drops its child modules. A merged adapter is unmerged first unless
    /// <paramref name="keepMergedUpdate"/> is set (PEFT's <c>merge_and_unload</c>: the update stays in the weight).
    /// </summary>
    /// <param name="adapterName">Adapter name.</param>
    /// <param name="childNames">Names its modules were registered under.</param>
    /// <param name="keepMergedUpdate">Leave a merged update in <see cref="Weight"/>.</param>
    /// <returns>True when the adapter was attached.</returns>
    public bool Detach(string adapterName, IEnumerable<string> childNames, bool keepMergedUpdate = false)
    {
        var adapter = _adapters.FirstOrDefault(a => a.Name == adapterName);
        if (adapter is null)
        {
            return false;
        }

        if (_merged.Contains(adapterName))
        {
            if (keepMergedUpdate)
            {
                _merged.Remove(adapterName);
            }
            else
            {
                Unmerge(adapterName);
            }
        }

        _adapters.Remove(adapter);
        foreach (var child in childNames)
        {
            _internal_submodules.Remove(child);
        }

        return true;
    }

    /// <summary>Adds the adapter's weight update into <see cref="Weight"/>; its forward contribution stops.</summary>
    /// <param name="adapterName">Adapter name.</param>
    public void Merge(string adapterName)
    {
        var adapter = _adapters.FirstOrDefault(a => a.Name == adapterName)
            ?? throw new InvalidOperationException($"No adapter named '{adapterName}' is attached.");
        if (!_merged.Add(adapterName))
        {
            return;
        }

        using var noGrad = no_grad();
        using var delta = adapter.DeltaWeight();
        using var oriented = FanInFanOut ? delta.t() : delta.alias();
        weight.add_(oriented.to(weight.dtype));
    }

    /// <summary>Subtracts a merged adapter's weight update from <see cref="Weight"/>.</summary>
    /// <param name="adapterName">Adapter name.</param>
    public void Unmerge(string adapterName)
    {
        var adapter = _adapters.FirstOrDefault(a => a.Name == adapterName)
            ?? throw new InvalidOperationException($"No adapter named '{adapterName}' is attached.");
        if (!_merged.Remove(adapterName))
        {
            return;
        }

        using var noGrad = no_grad();
        using var delta = adapter.DeltaWeight();
        using var oriented = FanInFanOut ? delta.t() : delta.alias();
        weight.sub_(oriented.to(weight.dtype));
    }

    /// <summary>
    /// <c>y = x W^T + b</c> (or <c>x W + b</c> when fan-in-fan-out) plus every enabled, unmerged adapter's delta.
    /// Returns a new tensor owned by the caller; the input is borrowed.
    /// </summary>
    /// <param name="input">Input <c>[..., InFeatures]</c>.</param>
    public override Tensor forward(Tensor input)
    {
        Tensor result;
        if (FanInFanOut)
        {
            result = bias is null ? matmul(input, weight) : addmm_nd(input, weight, bias);
        }
        else
        {
            result = nn.functional.linear(input, weight, bias);
        }

        foreach (var adapter in _adapters)
        {
            if (!adapter.Enabled || _merged.Contains(adapter.Name))
            {
                continue;
            }

            using var delta = adapter.Delta(input);
            result.add_(delta);
        }

        return result;
    }

    private static Tensor addmm_nd(Tensor input, Tensor w, Tensor b)
    {
        using var product = matmul(input, w);
        return product.add(b);
    }
}
