using System.Reflection;
using System.Runtime.ExceptionServices;
using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Encoders.Modalities;
using NetLlm.Abstractions.Plugins;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Core.Engine;
using NetLlm.Core.Lora;
using NetLlm.Core.Options;
using static TorchSharp.torch;

namespace NetLlm.Testing.Conformance;

/// <summary>
/// Runs the conformance kit over everything a registry holds: every task (options and settings, environment or
/// dataset, scorer, state codec, model design with its encoders, tokenizer and heads), every policy (valid actions or
/// predictions), every encoder (through the task slots that use it, else with a probe input of its modality) and every
/// backbone (presets, a forward pass and the KV cache, LoRA targets). Components whose data is not under the data root
/// are reported as skipped with the reason.
/// </summary>
public static class PluginConformance
{
    /// <summary>Checks everything; one result per component.</summary>
    /// <param name="registry">Loaded plugins.</param>
    /// <param name="dataRoot">Data root, or null.</param>
    /// <param name="policyOptions">Option values for some policies (by policy id), for example a shorter training of a learned baseline.</param>
    public static IReadOnlyList<ConformanceResult> CheckAll(IPluginRegistry registry, string? dataRoot, IReadOnlyDictionary<string, IReadOnlyList<OptionInput>>? policyOptions = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var results = new List<ConformanceResult>();
        var exercised = new HashSet<string>(StringComparer.Ordinal);
        foreach (var task in registry.Tasks)
        {
            results.AddRange(CheckTask(registry, task, dataRoot, exercised, policyOptions));
        }

        foreach (var encoder in registry.Encoders)
        {
            results.Add(exercised.Contains(encoder.Id)
                ? new ConformanceResult("encoder", encoder.Id, true, false, "exercised through a task's encoder slot")
                : Guard("encoder", encoder.Id, () => EncoderProbe(encoder)));
        }

        foreach (var backbone in registry.Backbones)
        {
            results.Add(Guard("backbone", backbone.Family, () => BackboneConformance.Check(backbone)));
        }

        return results;
    }

    /// <summary>Checks one task and its policies; the ids of the encoders its slots used are added to <paramref name="exercised"/>.</summary>
    /// <param name="registry">Loaded plugins.</param>
    /// <param name="task">The task.</param>
    /// <param name="dataRoot">Data root, or null.</param>
    /// <param name="exercised">Receives the encoder ids the task's slots used.</param>
    /// <param name="policyOptions">Option values for some policies (by policy id).</param>
    public static IReadOnlyList<ConformanceResult> CheckTask(IPluginRegistry registry, ITask task, string? dataRoot, ISet<string> exercised, IReadOnlyDictionary<string, IReadOnlyList<OptionInput>>? policyOptions = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        TaskShape shape;
        try
        {
            shape = TaskShape.Of(task);
        }
        catch (InvalidOperationException e)
        {
            return [new ConformanceResult("task", task.Info.Id, false, false, e.Message)];
        }

        var kit = shape.Kind == TaskKind.Decision
            ? typeof(DecisionConformance<,,,>).MakeGenericType([.. shape.Arguments])
            : typeof(PredictionConformance<,,,,>).MakeGenericType([.. shape.Arguments]);
        try
        {
            return (IReadOnlyList<ConformanceResult>)kit.GetMethod("Check", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [registry, task, dataRoot, exercised, policyOptions ?? new Dictionary<string, IReadOnlyList<OptionInput>>()])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    /// <summary>Runs <paramref name="check"/> and turns its outcome into a result.</summary>
    /// <param name="kind">Component kind.</param>
    /// <param name="id">Component id.</param>
    /// <param name="check">The check; returns what it checked.</param>
    internal static ConformanceResult Guard(string kind, string id, Func<string> check)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var detail = check();
            return new ConformanceResult(kind, id, true, false, $"{detail} ({clock.Elapsed.TotalSeconds:F1} s)");
        }
        catch (DataMissingException e)
        {
            return new ConformanceResult(kind, id, false, true, e.Message);
        }
        catch (Exception e) when (e is ConformanceException or ArgumentException or InvalidOperationException or InvalidDataException or IOException or NotSupportedException or KeyNotFoundException)
        {
            return new ConformanceResult(kind, id, false, false, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Options of a record, every option at its default except those given.</summary>
    internal static object Options(Type type) => OptionSchema.Of(type).CreateDefault();

    private static string EncoderProbe(IEncoderProvider provider)
    {
        var options = Options(provider.OptionsType);
        var (shape, input) = provider.Modality switch
        {
            "series" => ((IReadOnlyList<long>)[1, 6], (object)randn(3, 1, 6)),
            "scalar" => ([2], randn(3, 2)),
            "image" => ([3, 32, 32], rand(2, 3, 32, 32)),
            "graph" => ([5], Graph()),
            _ => throw new DataMissingException($"no probe input for modality '{provider.Modality}'; it is checked only through task slots, and no loaded task uses it"),
        };
        var encoder = provider.Create(new EncoderContext(provider.Modality == "image" ? 768 : 16, shape, null), options);
        using var module = encoder.Module;
        if (encoder.Modality != provider.Modality)
        {
            throw new ConformanceException("EncoderProbe", $"encoder reports modality '{encoder.Modality}', its provider '{provider.Modality}'");
        }

        var encode = encoder.GetType().GetInterfaces()
            .First(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IModalityEncoder<,>))
            .GetMethod(nameof(IModalityEncoder<object, object>.Encode))!;
        var output = encode.Invoke(encoder, [input]);
        (input as IDisposable)?.Dispose();
        switch (output)
        {
            case Tensor tokens:
                using (tokens)
                {
                    if (tokens.dim() != 3 || !tokens.isfinite().all().item<bool>())
                    {
                        throw new ConformanceException("EncoderProbe", $"tokens [{string.Join(", ", tokens.shape)}] must be [batch, tokens, width] and finite");
                    }
                }

                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }

        return $"probe input of modality {provider.Modality} encoded";
    }

    private static DagBatch Graph() => new(
        randn(4, 5),
        [0, 2],
        [1, 3],
        tensor(new long[] { 0, 0, 1, 1 }),
        tensor(new long[] { 0, 1 }),
        [0, 2, 4],
        [0, 1, 2]);
}

/// <summary>A component could not be checked because its data is not under the data root.</summary>
/// <param name="message">What is missing.</param>
public sealed class DataMissingException(string message) : Exception(message);
