using System.Text.Json.Nodes;
using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Lora;
using NetLlm.Core.Options;

namespace NetLlm.Core.Adaptation;

/// <summary>
/// Hyper-parameters of the shared adaptation loop (DD-LRNA), read from the task verb's options. Defaults follow the
/// NetLLM original where they are right (AdamW lr 1e-4, weight decay 1e-4, LoRA alpha 32, dropout 0.05 on q/v, context
/// window 20, gamma 1, return scale 1000) and differ where noted: real mini-batches (8 windows) instead of batch 1 with
/// 32-step accumulation, and a warm-up measured in optimiser steps of those batches.
/// </summary>
public sealed record AdaptationOptions
{
    /// <summary>Local Hugging Face model folder (or a llama2.c checkpoint folder), or null to use <see cref="BackbonePreset"/>.</summary>
    [Option("local Hugging Face model folder, or a llama2.c checkpoint folder (e.g. stories260K)", Verbs = VerbScope.Adapt)]
    public string? Model { get; init; }

    /// <summary>Build the model folder's architecture with random weights instead of loading them (pretrained vs random ablations).</summary>
    [Option("build the model folder's architecture with random weights (seeded by the run's seed) instead of loading its weights", Verbs = VerbScope.Adapt)]
    public bool RandomInit { get; init; }

    /// <summary>Built-in backbone configuration, random-initialised (used when <see cref="Model"/> is null); null for the default preset a backbone plugin declares.</summary>
    [Option("built-in backbone configuration, random-initialised, when no model folder is given (default: the preset a backbone plugin marks as default)", Name = "backbone", Verbs = VerbScope.Adapt)]
    public string? BackbonePreset { get; init; }

    /// <summary>Compute dtype of the backbone.</summary>
    [Option("backbone compute dtype: float32, bfloat16 or float16", Name = "dtype", Verbs = VerbScope.Adapt)]
    public string DType { get; init; } = "float32";

    /// <summary>Allow pickle checkpoints (pytorch_model.bin).</summary>
    [Option("allow loading pytorch_model.bin (pickle) checkpoints", Verbs = VerbScope.Adapt)]
    public bool AllowPickle { get; init; }

    /// <summary>Read checkpoint weights into private memory instead of mapping the safetensors files (no effect on results).</summary>
    [Option("read the model folder's weights into private memory instead of mapping its safetensors files (for files that may change during the run)", Verbs = VerbScope.Adapt)]
    public bool CopyWeights { get; init; }

    /// <summary>LoRA rank; 0 freezes the backbone (only encoders and heads train); -1 fine-tunes the whole backbone instead.</summary>
    [Option("LoRA rank r; 0 freezes the backbone (encoders and heads train alone); -1 fine-tunes the whole backbone", Minimum = -1, Maximum = 65536, Verbs = VerbScope.Adapt)]
    public int Rank { get; init; } = 128;

    /// <summary>LoRA alpha.</summary>
    [Option("LoRA alpha", Minimum = 1e-6, Maximum = 1e6, Verbs = VerbScope.Adapt)]
    public double LoraAlpha { get; init; } = 32;

    /// <summary>LoRA dropout.</summary>
    [Option("LoRA dropout, in [0, 1)", Minimum = 0, Maximum = 0.999999, Verbs = VerbScope.Adapt)]
    public double LoraDropout { get; init; } = 0.05;

    /// <summary>LoRA target modules (names or suffixes, or <c>all-linear</c>); null for the backbone family's default.</summary>
    [Option("LoRA target modules, comma-separated, or all-linear (default: the backbone family's, e.g. q_proj,v_proj)", Verbs = VerbScope.Adapt)]
    public IReadOnlyList<string>? TargetModules { get; init; }

    /// <summary>Passes over the training data.</summary>
    [Option("passes over the training data", Minimum = 1, Maximum = 1_000_000, Verbs = VerbScope.Adapt)]
    public int Epochs { get; init; } = 10;

    /// <summary>Windows (decision tasks) or samples (prediction tasks) per mini-batch.</summary>
    [Option("windows (decision tasks) or samples (prediction tasks) per mini-batch", Minimum = 1, Maximum = 65536, Verbs = VerbScope.Adapt)]
    public int BatchSize { get; init; } = 8;

    /// <summary>Mini-batches per optimiser step.</summary>
    [Option("mini-batches per optimiser step", Name = "grad-accum", Minimum = 1, Maximum = 65536, Verbs = VerbScope.Adapt)]
    public int GradAccumulation { get; init; } = 1;

    /// <summary>Peak learning rate.</summary>
    [Option("peak learning rate", Name = "lr", Minimum = 1e-12, Maximum = 10, Verbs = VerbScope.Adapt)]
    public double LearningRate { get; init; } = 1e-4;

    /// <summary>AdamW weight decay.</summary>
    [Option("AdamW weight decay", Minimum = 0, Maximum = 10, Verbs = VerbScope.Adapt)]
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>Linear warm-up length in optimiser steps.</summary>
    [Option("linear warm-up in optimiser steps", Minimum = 0, Maximum = 100_000_000, Verbs = VerbScope.Adapt)]
    public int WarmupSteps { get; init; } = 100;

    /// <summary>Gradient-norm clip (0 disables).</summary>
    [Option("gradient-norm clip, 0 disables", Minimum = 0, Maximum = 1e6, Verbs = VerbScope.Adapt)]
    public double GradClip { get; init; } = 0.25;

    /// <summary>Optimiser steps between checkpoints (0: at the end of every epoch).</summary>
    [Option("optimiser steps between checkpoints (0: every epoch)", Minimum = 0, Maximum = 1_000_000_000, Verbs = VerbScope.Adapt)]
    public int CheckpointEvery { get; init; }

    /// <summary>Stop after this many optimiser steps (0: no limit).</summary>
    [Option("stop after this many optimiser steps (0: no limit)", Minimum = 0, Maximum = 1_000_000_000, Verbs = VerbScope.Adapt)]
    public int MaxSteps { get; init; }

    /// <summary>Resume from the run directory's last checkpoint.</summary>
    [Option("resume from the run directory's last checkpoint", Verbs = VerbScope.Adapt)]
    public bool Resume { get; init; }

    /// <summary>
    /// Recompute each backbone layer's activations in the backward pass instead of keeping them (the original trains
    /// this way): less memory, about one more forward pass of compute, the same gradients.
    /// </summary>
    [Option("recompute backbone activations in the backward pass: less memory, ~1 more forward of compute (the original's setting)", Verbs = VerbScope.Adapt)]
    public bool GradientCheckpointing { get; init; }

    /// <summary>Experience pool file (decision tasks), or several separated by commas, combined in that order.</summary>
    [Option("experience pool file from `netllm collect`; several, comma-separated, are combined in order", Verbs = VerbScope.Adapt, Tasks = TaskKinds.Decision)]
    public string? Pool { get; init; }

    /// <summary>Context window w in steps.</summary>
    [Option("context window in steps", Name = "w", Minimum = 1, Maximum = 4096, Verbs = VerbScope.Adapt, Tasks = TaskKinds.Decision)]
    public int Window { get; init; } = 20;

    /// <summary>Discount of returns-to-go.</summary>
    [Option("discount of returns-to-go, in (0, 1]", Minimum = 1e-9, Maximum = 1, Verbs = VerbScope.Adapt, Tasks = TaskKinds.Decision)]
    public double Gamma { get; init; } = 1.0;

    /// <summary>Returns-to-go are divided by this.</summary>
    [Option("returns-to-go are divided by this", Minimum = 1e-9, Maximum = 1e12, Verbs = VerbScope.Adapt, Tasks = TaskKinds.Decision)]
    public double ReturnScale { get; init; } = 1000;

    /// <summary>
    /// How rewards are normalised before returns-to-go are summed: <see cref="RewardNormalization.MinMax"/> (the
    /// original) or <see cref="RewardNormalization.Range"/> (no shift: zero rewards stay zero, negative ones negative).
    /// </summary>
    [Option("how rewards are normalised for returns-to-go: min-max, (r - min) / (max - min) in [0, 1] (the original's); range, r / (max - min), keeping zero and the sign (a return that counts time, not steps, where rewards are costs)", Verbs = VerbScope.Adapt, Tasks = TaskKinds.Decision)]
    public RewardNormalization RewardNormalization { get; init; } = RewardNormalization.MinMax;

    /// <summary>Stride between training windows (0: the window length, as the original).</summary>
    [Option("stride between training windows (0: the window length)", Minimum = 0, Maximum = 4096, Verbs = VerbScope.Adapt, Tasks = TaskKinds.Decision)]
    public int SampleStep { get; init; }

    /// <summary>Let training windows cross episode boundaries (the original's behaviour).</summary>
    [Option("let training windows cross episode boundaries (the original's behaviour)", Verbs = VerbScope.Adapt, Tasks = TaskKinds.Decision)]
    public bool CrossEpisodeWindows { get; init; }

    /// <summary>Target return at inference = this × the largest return in the pool.</summary>
    [Option("target return = this x the largest return in the pool", Minimum = -1e6, Maximum = 1e6, Verbs = VerbScope.Adapt, Tasks = TaskKinds.Decision)]
    public double TargetReturnScale { get; init; } = 1.0;

    /// <summary>Episodes of evaluation in the environment after each epoch (0: none; the last epoch is kept).</summary>
    [Option("episodes evaluated in the environment after each epoch to pick the best checkpoint (0: keep the last)", Minimum = 0, Maximum = 1_000_000, Verbs = VerbScope.Adapt, Tasks = TaskKinds.Decision)]
    public int EvalEpisodes { get; init; }

    /// <summary>
    /// Seed of the environment of those evaluation episodes (null: the run's seed). Tasks that generate their episodes
    /// from the seed (CJS's workloads) need one that no test uses, or the checkpoint is chosen on a test episode.
    /// </summary>
    [Option("seed of the evaluation episodes' environment (default: the run's seed); pick one no test uses when the task generates episodes from the seed", Minimum = 0, Maximum = int.MaxValue, Verbs = VerbScope.Adapt, Tasks = TaskKinds.Decision)]
    public int? EvalSeed { get; init; }

    /// <summary>The LoRA options these hyper-parameters describe.</summary>
    public LoraOptions Lora => new()
    {
        Rank = Rank,
        Alpha = LoraAlpha,
        Dropout = LoraDropout,
        TargetModules = TargetModules ?? [],
        Bias = "none",
        TaskType = "FEATURE_EXTRACTION",
        BaseModelNameOrPath = Model ?? BackbonePreset ?? string.Empty,
    };


    /// <summary>The compute dtypes a backbone accepts.</summary>
    public static IReadOnlyList<string> DTypes { get; } = ["float32", "bfloat16", "float16"];

    /// <summary>Checks every option's range (as its <see cref="OptionAttribute"/> declares) and the rules across options; throws naming the option.</summary>
    public void Validate()
    {
        var schema = OptionSchema.Of<AdaptationOptions>();
        foreach (var field in schema.Fields)
        {
            field.Validate(field.Property.GetValue(this), $"option --{field.Name}");
        }

        if (RandomInit && Model is null)
        {
            throw new ArgumentException($"option --{schema.Find("random-init")!.Name}: needs --{schema.Find("model")!.Name} (a --{schema.Find("backbone")!.Name} preset is always random-initialised)");
        }

        if (!DTypes.Contains(DType, StringComparer.Ordinal))
        {
            throw new ArgumentException($"option --{schema.Find("dtype")!.Name}: '{DType}' is not one of {string.Join(", ", DTypes)}");
        }
    }

    /// <summary>
    /// The options a run directory recorded (<see cref="ToJson"/>'s keys), typed and range-checked like the command line;
    /// throws <see cref="InvalidDataException"/> naming <paramref name="source"/> and the key.
    /// </summary>
    /// <param name="json">The run's <c>adaptation</c> object.</param>
    /// <param name="source">The run.json file, for messages.</param>
    public static AdaptationOptions FromJson(JsonObject json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        var options = new JsonObject();
        foreach (var (key, value) in json)
        {
            if (value is not null)
            {
                options[key.Replace('_', '-')] = value.DeepClone();
            }
        }

        var where = source + ": adaptation";
        var result = (AdaptationOptions)OptionSchema.Of<AdaptationOptions>().FromJson(options, where);
        try
        {
            result.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{where}: {e.Message}", e);
        }

        return result;
    }

    /// <summary>The options as JSON (recorded in the run directory).</summary>
    public JsonObject ToJson() => new()
    {
        ["model"] = Model,
        ["backbone"] = Model is null ? BackbonePreset : null,
        ["random_init"] = RandomInit,
        ["dtype"] = DType,
        ["rank"] = Rank,
        ["lora_alpha"] = LoraAlpha,
        ["lora_dropout"] = LoraDropout,
        ["target_modules"] = TargetModules is null ? null : new JsonArray(TargetModules.Select(t => (JsonNode?)t).ToArray()),
        ["epochs"] = Epochs,
        ["batch_size"] = BatchSize,
        ["grad_accum"] = GradAccumulation,
        ["lr"] = LearningRate,
        ["weight_decay"] = WeightDecay,
        ["warmup_steps"] = WarmupSteps,
        ["grad_clip"] = GradClip,
        ["checkpoint_every"] = CheckpointEvery,
        ["max_steps"] = MaxSteps,
        ["w"] = Window,
        ["gamma"] = Gamma,
        ["return_scale"] = ReturnScale,
        ["reward_normalization"] = OptionField.KebabCase(RewardNormalization.ToString()),
        ["sample_step"] = SampleStep == 0 ? Window : SampleStep,
        ["cross_episode_windows"] = CrossEpisodeWindows,
        ["gradient_checkpointing"] = GradientCheckpointing,
        ["target_return_scale"] = TargetReturnScale,
        ["eval_episodes"] = EvalEpisodes,
        ["eval_seed"] = EvalSeed,
    };
}
