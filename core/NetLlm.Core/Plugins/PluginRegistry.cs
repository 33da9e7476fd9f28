using NetLlm.Abstractions.Backbones;
using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Plugins;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;

namespace NetLlm.Core.Plugins;

/// <summary>
/// An immutable <see cref="IPluginRegistry"/> over given components. The host builds one from the composed
/// plugins; tests build one from the components they construct directly.
/// </summary>
public sealed class PluginRegistry : IPluginRegistry
{
    /// <summary>Creates a registry.</summary>
    /// <param name="tasks">Tasks.</param>
    /// <param name="policies">Policy providers.</param>
    /// <param name="backbones">Backbone providers.</param>
    /// <param name="encoders">Encoder providers.</param>
    public PluginRegistry(
        IEnumerable<ITask>? tasks = null,
        IEnumerable<IPolicyProvider>? policies = null,
        IEnumerable<IBackboneProvider>? backbones = null,
        IEnumerable<IEncoderProvider>? encoders = null)
    {
        Tasks = (tasks ?? []).OrderBy(t => t.Info.Id, StringComparer.Ordinal).ToList();
        Policies = (policies ?? []).OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
        Backbones = (backbones ?? []).OrderBy(b => b.Family, StringComparer.Ordinal).ToList();
        Encoders = (encoders ?? []).OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>An empty registry.</summary>
    public static PluginRegistry Empty { get; } = new();

    /// <inheritdoc />
    public IReadOnlyList<ITask> Tasks { get; }

    /// <inheritdoc />
    public IReadOnlyList<IPolicyProvider> Policies { get; }

    /// <inheritdoc />
    public IReadOnlyList<IBackboneProvider> Backbones { get; }

    /// <inheritdoc />
    public IReadOnlyList<IEncoderProvider> Encoders { get; }


    /// <inheritdoc />
    public ITask GetTask(string id) =>
        Tasks.FirstOrDefault(t => t.Info.Id == id) ?? throw Unknown("task", id, Tasks.Select(t => t.Info.Id));

    /// <inheritdoc />
    public IPolicyProvider GetPolicy(string id) =>
        Policies.FirstOrDefault(p => p.Id == id) ?? throw Unknown("policy", id, Policies.Select(p => p.Id));

    /// <inheritdoc />
    public IBackboneProvider GetBackboneForModelType(string modelType) =>
        Backbones.FirstOrDefault(b => b.ModelTypes.Contains(modelType, StringComparer.Ordinal))
        ?? throw Unknown("backbone model_type", modelType, Backbones.SelectMany(b => b.ModelTypes));

    /// <inheritdoc />
    public IEncoderProvider GetEncoder(string id) =>
        Encoders.FirstOrDefault(e => e.Id == id) ?? throw Unknown("encoder", id, Encoders.Select(e => e.Id));


    private static KeyNotFoundException Unknown(string what, string id, IEnumerable<string> known)
    {
        var list = known.Distinct().Order(StringComparer.Ordinal).ToList();
        return new KeyNotFoundException(list.Count == 0
            ? $"unknown {what} '{id}': no plugin provides any (is the plugin loaded? see `netllm plugins`)"
            : $"unknown {what} '{id}'; known: {string.Join(", ", list)}");
    }
}
