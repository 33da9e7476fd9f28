using System.CommandLine;
using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Plugins;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Core.Engine;
using NetLlm.Core.Options;

namespace NetLlm.Cli.Infrastructure;

/// <summary>
/// The options one task verb takes for one task, built from typed options records: the task's own options, the
/// engine's (adaptation hyper-parameters, inference of adapted runs, prediction tests), the task's model options and
/// encoder choices (adapt), and the options of the policies named on the command line. Reads them back into a
/// <see cref="VerbRequest"/> together with the configuration file's values for the task.
/// </summary>
public sealed class TaskVerbOptions
{
    private readonly TaskShape _shape;
    private readonly VerbScope _scope;
    private readonly TypedOptionSet _task;
    private readonly TypedOptionSet _engine;
    private readonly TypedOptionSet? _model;
    private readonly Option<string[]>? _encoder;
    private readonly Option<string[]>? _encoderOption;

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    /// <param name="command">The verb's command.</param>
    /// <param name="shape">The task.</param>
    /// <param name="scope">The verb.</param>
    /// <param name="registry">Loaded plugins (for the named policies' options).</param>
    /// <param name="policies">Policy arguments found on the command line.</param>
    /// <param name="reserved">Names the command already has.</param>
    public TaskVerbOptions(Command command, TaskShape shape, VerbScope scope, IPluginRegistry registry, IReadOnlyList<string> policies, IReadOnlySet<string> reserved)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(shape);
        _shape = shape;
        _scope = scope;
        var owner = $"task {shape.Id}";
        var taskFields = OptionSchema.Of(shape.OptionsType).For(scope).Select(f => (f, owner)).ToList();
        _task = new TypedOptionSet(command, taskFields, reserved);
        var kind = shape.Kind == TaskKind.Decision ? TaskKinds.Decision : TaskKinds.Prediction;
        var engineFields = new List<(OptionField, string)>();
        foreach (var type in EngineRecords(scope, shape.Kind))
        {
            engineFields.AddRange(OptionSchema.Of(type).For(scope).Where(f => (f.Tasks & kind) != 0).Select(f => (f, "netllm")));
        }

        foreach (var id in policies.Where(p => !Directory.Exists(p)).Distinct(StringComparer.Ordinal))
        {
            if (registry.Policies.FirstOrDefault(p => p.Id == id && p.TaskId == shape.Id) is { } provider)
            {
                engineFields.AddRange(OptionSchema.Of(provider.OptionsType).For(scope).Select(f => (f, "policy " + id)));
            }
        }

        var taken = new HashSet<string>(reserved, StringComparer.Ordinal);
        taken.UnionWith(_task.Names);
        _engine = new TypedOptionSet(command, engineFields, taken);
        if (scope == VerbScope.Adapt)
        {
            taken.UnionWith(_engine.Names);
            _model = new TypedOptionSet(command, OptionSchema.Of(shape.ModelOptionsType).For(scope).Select(f => (f, $"model of {shape.Id}")).ToList(), taken);
            _encoder = new Option<string[]>("--encoder") { Description = "SLOT=ENCODER-ID: fill an encoder slot of the task's model with another encoder plugin of the same modality, or SLOT=off to switch the slot off (its tokens are zeros; for ablations) (repeatable)", AllowMultipleArgumentsPerToken = false };
            _encoderOption = new Option<string[]>("--encoder-option") { Description = "SLOT.OPTION=VALUE: an option of the encoder in SLOT (repeatable)", AllowMultipleArgumentsPerToken = false };
            command.Options.Add(_encoder);
            command.Options.Add(_encoderOption);
        }
    }

    /// <summary>Every option name this verb takes for the task (for error messages).</summary>
    public IReadOnlyList<string> Names =>
        [.. _task.Names, .. _engine.Names, .. _model?.Names ?? [], .. _encoder is null ? Array.Empty<string>() : ["encoder", "encoder-option"]];

    /// <summary>Builds the request.</summary>
    /// <param name="parse">The parse result.</param>
    /// <param name="session">The session (configuration, registry, seed, data root).</param>
    /// <param name="verb">The verb.</param>
    /// <param name="setting">The setting, or null.</param>
    /// <param name="policies">Policies.</param>
    /// <param name="output">Output path, or null.</param>
    public VerbRequest Request(ParseResult parse, CliSession session, TaskVerb verb, string? setting, IReadOnlyList<string> policies, string? output)
    {
        ArgumentNullException.ThrowIfNull(session);
        var (configuredTask, configuredEngine) = Configured(session);
        var engineInputs = configuredEngine.Concat(_engine.Given(parse)).ToList();
        var adaptationSchema = OptionSchema.Of<AdaptationOptions>();
        var adaptation = (AdaptationOptions)adaptationSchema.Apply(new AdaptationOptions(), engineInputs.Where(i => adaptationSchema.Find(i.Name) is not null));
        return new VerbRequest
        {
            Task = _shape.Task,
            Context = session.Context(verb),
            Registry = session.Registry,
            Setting = setting,
            ConfiguredOptions = configuredTask,
            TaskOptions = _task.Given(parse),
            Policies = policies,
            PolicyOptions = engineInputs,
            Adaptation = adaptation,
            ModelOptions = _model?.Given(parse) ?? [],
            Encoders = Encoders(parse),
            Output = output,
        };
    }

    private static IEnumerable<Type> EngineRecords(VerbScope scope, TaskKind kind)
    {
        if (scope == VerbScope.Adapt)
        {
            yield return typeof(AdaptationOptions);
        }

        if (kind == TaskKind.Decision)
        {
            yield return typeof(InferenceOptions);
        }
        else
        {
            yield return typeof(PredictionTestOptions);
        }
    }

    private (List<OptionInput> Task, List<OptionInput> Engine) Configured(CliSession session)
    {
        var task = new List<OptionInput>();
        var engine = new List<OptionInput>();
        if (!session.Options.Tasks.TryGetValue(_shape.Id, out var values))
        {
            return (task, engine);
        }

        var where = $"{session.ConfigPath ?? "configuration"}: tasks.{_shape.Id}";
        var taskSchema = OptionSchema.Of(_shape.OptionsType);
        var engineSchemas = EngineRecords(VerbScope.Adapt, _shape.Kind).Select(OptionSchema.Of).ToList();
        foreach (var (name, value) in values)
        {
            var input = new OptionInput(name, value, $"{where}.{name}");
            if (taskSchema.Find(name) is not null)
            {
                task.Add(input);
            }
            else if (engineSchemas.Any(s => s.Find(name) is not null))
            {
                engine.Add(input);
            }
            else
            {
                throw new ArgumentException(
                    $"{where}: unknown option '{name}'; task {_shape.Id} takes {string.Join(", ", taskSchema.Fields.Select(f => f.Name).Concat(engineSchemas.SelectMany(s => s.Fields.Select(f => f.Name))).Distinct())}");
            }
        }

        return (task, engine);
    }

    private List<EncoderChoice> Encoders(ParseResult parse)
    {
        if (_encoder is null || _encoderOption is null)
        {
            return [];
        }

        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var text in parse.GetValue(_encoder) ?? [])
        {
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == text.Length - 1)
            {
                throw new ArgumentException($"option --encoder: '{text}' is not SLOT=ENCODER-ID");
            }

            ids[text[..eq]] = text[(eq + 1)..];
        }

        var options = new Dictionary<string, List<OptionInput>>(StringComparer.Ordinal);
        foreach (var text in parse.GetValue(_encoderOption) ?? [])
        {
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            var dot = eq > 0 ? text.LastIndexOf('.', eq) : -1;
            if (eq <= 0 || dot <= 0)
            {
                throw new ArgumentException($"option --encoder-option: '{text}' is not SLOT.OPTION=VALUE");
            }

            var slot = text[..dot];
            if (!options.TryGetValue(slot, out var list))
            {
                options[slot] = list = [];
            }

            list.Add(new OptionInput(text[(dot + 1)..eq], text[(eq + 1)..], $"option --encoder-option {slot}.{text[(dot + 1)..eq]}"));
        }

        return ids.Keys.Union(options.Keys)
            .Select(slot => new EncoderChoice(slot, ids.GetValueOrDefault(slot), options.GetValueOrDefault(slot) ?? []))
            .ToList();
    }
}
