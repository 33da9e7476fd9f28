using System.Text.Json.Nodes;
using NetLlm.Abstractions.Options;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Lora;

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

    /// <summary>Built-in backbone configuration, random-initialised (used when <see cref="Model"/> is null); null for the default preset a backbone plugin declares.</summary>
    [Option("built-in backbone configuration, random-initialised, when no --model is given (default: the preset a backbone plugin marks as default)", Name = "backbone", Verbs = VerbScope.Adapt)]
    public string? BackbonePreset { get; init; }

    /// <summary>Compute dtype of the backbone.</summary>
    [Option("backbone compute dtype: float32, bfloat16 or float16", Verbs = VerbScope.Adapt)]
    public string DType { get; init; } = "float32";

    /// <summary>Allow pickle checkpoints (pytorch_model.bin).</summary>
    [Option("allow loading pytorch_model.bin (pickle) checkpoints", Verbs = VerbScope.Adapt)]
    public bool AllowPickle { get; init; }

    /// <summary>LoRA rank; -1 fine-tunes the whole backbone instead.</summary>
    [Option("LoRA rank r; -1 fine-tunes the whole backbone", Minimum = -1, Maximum = 65536, Verbs = VerbScope.Adapt)]
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

    /// <summary>Experience pool file (decision tasks).</summary>
    [Option("experience pool file from `netllm collect`", Verbs = VerbScope.Adapt, Tasks = TaskKinds.Decision)]
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

    /// <summary>Transitional: model settings of contract-1.0 tasks (<c>key=value,key=value</c>).</summary>
    public IReadOnlyDictionary<string, string> ModelSettings { get; init; } = new Dictionary<string, string>();

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

    /// <summary>The options of the <c>adapt</c> verb (added to the CLI by the host).</summary>
    public static IReadOnlyList<TaskOptionSpec> Specs { get; } =
    [
        Spec("pool", "Experience pool file (decision tasks; from `netllm collect`)"),
        Spec("model", "Local Hugging Face model folder, or a llama2.c checkpoint folder (e.g. stories260K)"),
        Spec("backbone", "Built-in backbone configuration, random-initialised, when no --model is given (default llama-tiny-2x256)"),
        Spec("dtype", "Backbone compute dtype: float32 (default), bfloat16, float16"),
        Flag("allow-pickle", "Allow loading pytorch_model.bin (pickle) checkpoints"),
        Spec("rank", "LoRA rank r (default 128); -1 fine-tunes the whole backbone", OptionKind.Integer),
        Spec("lora-alpha", "LoRA alpha (default 32)", OptionKind.Real),
        Spec("lora-dropout", "LoRA dropout (default 0.05)", OptionKind.Real),
        Spec("target-modules", "LoRA target modules, comma-separated (default q_proj,v_proj, c_attn for GPT-2; all-linear for every projection)"),
        Spec("epochs", "Passes over the training data (default 10)", OptionKind.Integer),
        Spec("batch-size", "Windows or samples per mini-batch (default 8)", OptionKind.Integer),
        Spec("grad-accum", "Mini-batches per optimiser step (default 1)", OptionKind.Integer),
        Spec("lr", "Peak learning rate (default 1e-4)", OptionKind.Real),
        Spec("weight-decay", "AdamW weight decay (default 1e-4)", OptionKind.Real),
        Spec("warmup-steps", "Linear warm-up in optimiser steps (default 100)", OptionKind.Integer),
        Spec("grad-clip", "Gradient-norm clip, 0 disables (default 0.25)", OptionKind.Real),
        Spec("checkpoint-every", "Optimiser steps between checkpoints (default: every epoch)", OptionKind.Integer),
        Spec("max-steps", "Stop after this many optimiser steps", OptionKind.Integer),
        Flag("resume", "Resume from the run directory's last checkpoint"),
        Spec("w", "Context window in steps (default 20)", OptionKind.Integer),
        Spec("gamma", "Discount of returns-to-go (default 1.0)", OptionKind.Real),
        Spec("return-scale", "Returns-to-go are divided by this (default 1000)", OptionKind.Real),
        Spec("sample-step", "Stride between training windows (default: the window length)", OptionKind.Integer),
        Flag("cross-episode-windows", "Let training windows cross episode boundaries (the original's behaviour)"),
        Flag("gradient-checkpointing", "Recompute backbone activations in the backward pass: less memory, ~1 more forward of compute (the original's setting)"),
        Spec("target-return-scale", "Target return = this x the largest return in the pool (default 1.0)", OptionKind.Real),
        Spec("eval-episodes", "Episodes evaluated in the environment after each epoch to pick the best checkpoint (default 0: keep the last)", OptionKind.Integer),
        Spec("model-settings", "Task model settings, key=value pairs separated by commas"),
    ];

    /// <summary>Reads the options; errors name the option.</summary>
    /// <param name="a">Verb arguments.</param>
    public static AdaptationOptions From(TaskArguments a)
    {
        var o = new AdaptationOptions
        {
            Model = a.Text("model"),
            BackbonePreset = a.Text("backbone"),
            DType = a.Choice("dtype", "float32", "float32", "bfloat16", "bf16", "float16", "fp16"),
            AllowPickle = a.Flag("allow-pickle"),
            Rank = a.Integer("rank", 128),
            LoraAlpha = a.Real("lora-alpha", 32),
            LoraDropout = a.Real("lora-dropout", 0.05),
            TargetModules = a.Text("target-modules")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Epochs = a.Integer("epochs", 10),
            BatchSize = a.Integer("batch-size", 8),
            GradAccumulation = a.Integer("grad-accum", 1),
            LearningRate = a.Real("lr", 1e-4),
            WeightDecay = a.Real("weight-decay", 1e-4),
            WarmupSteps = a.Integer("warmup-steps", 100),
            GradClip = a.Real("grad-clip", 0.25),
            CheckpointEvery = a.Integer("checkpoint-every", 0),
            MaxSteps = a.Integer("max-steps", 0),
            Resume = a.Flag("resume"),
            Window = a.Integer("w", 20),
            Gamma = a.Real("gamma", 1.0),
            ReturnScale = a.Real("return-scale", 1000),
            SampleStep = a.Integer("sample-step", 0),
            CrossEpisodeWindows = a.Flag("cross-episode-windows"),
            GradientCheckpointing = a.Flag("gradient-checkpointing"),
            TargetReturnScale = a.Real("target-return-scale", 1.0),
            EvalEpisodes = a.Integer("eval-episodes", 0),
            ModelSettings = ParseSettings(a.Text("model-settings")),
        };
        o.Validate();
        return o;
    }

    /// <summary>Checks ranges; throws naming the option.</summary>
    public void Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok)
            {
                throw new ArgumentException(message);
            }
        }

        Require(Rank == -1 || Rank >= 1, $"option --rank: {Rank} must be -1 (full fine-tuning) or at least 1");
        Require(Epochs >= 1, $"option --epochs: {Epochs} must be at least 1");
        Require(BatchSize >= 1, $"option --batch-size: {BatchSize} must be at least 1");
        Require(GradAccumulation >= 1, $"option --grad-accum: {GradAccumulation} must be at least 1");
        Require(LearningRate > 0, $"option --lr: {LearningRate} must be positive");
        Require(WeightDecay >= 0, $"option --weight-decay: {WeightDecay} must not be negative");
        Require(WarmupSteps >= 0, $"option --warmup-steps: {WarmupSteps} must not be negative");
        Require(GradClip >= 0, $"option --grad-clip: {GradClip} must not be negative");
        Require(CheckpointEvery >= 0, $"option --checkpoint-every: {CheckpointEvery} must not be negative");
        Require(MaxSteps >= 0, $"option --max-steps: {MaxSteps} must not be negative");
        Require(Window >= 1, $"option --w: {Window} must be at least 1");
        Require(Gamma is > 0 and <= 1, $"option --gamma: {Gamma} must be in (0, 1]");
        Require(ReturnScale > 0, $"option --return-scale: {ReturnScale} must be positive");
        Require(SampleStep >= 0, $"option --sample-step: {SampleStep} must not be negative");
        Require(EvalEpisodes >= 0, $"option --eval-episodes: {EvalEpisodes} must not be negative");
        Require(LoraDropout is >= 0 and < 1, $"option --lora-dropout: {LoraDropout} must be in [0, 1)");
    }

    /// <summary>The options as JSON (recorded in the run directory).</summary>
    public JsonObject ToJson() => new()
    {
        ["model"] = Model,
        ["backbone"] = Model is null ? BackbonePreset : null,
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
        ["sample_step"] = SampleStep == 0 ? Window : SampleStep,
        ["cross_episode_windows"] = CrossEpisodeWindows,
        ["gradient_checkpointing"] = GradientCheckpointing,
        ["target_return_scale"] = TargetReturnScale,
        ["eval_episodes"] = EvalEpisodes,
        ["model_settings"] = new JsonObject(ModelSettings.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
    };

    private static Dictionary<string, string> ParseSettings(string? text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text))
        {
            return result;
        }

        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new ArgumentException($"option --model-settings: '{pair}' is not key=value");
            }

            result[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
        }

        return result;
    }

    private static TaskOptionSpec Spec(string name, string description, OptionKind kind = OptionKind.Text) =>
        new(name, description, kind, [TaskVerb.Adapt]);

    private static TaskOptionSpec Flag(string name, string description) =>
        new(name, description, OptionKind.Flag, [TaskVerb.Adapt]);
}
