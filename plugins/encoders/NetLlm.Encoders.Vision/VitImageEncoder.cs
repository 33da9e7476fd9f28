using NetLlm.Abstractions.Encoders;
using NetLlm.Core.IO;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Encoders.Vision;

/// <summary>
/// A frozen ViT image encoder (Hugging Face <c>ViTModel</c> layout: <c>embeddings.{cls_token, position_embeddings,
/// patch_embeddings.projection}</c>, <c>encoder.layer.N.*</c>, <c>layernorm</c>). Input images
/// <c>[batch, channels, image_size, image_size]</c> as the caller prepared them (the original NetLLM feature extractor
/// resizes to 224 and only scales pixels to [0, 1]); output the CLS token of the final layer-normed hidden state,
/// <c>[batch, 1, hidden]</c> — the original's <c>extract_vit_features</c>. Parameters never require gradients;
/// <see cref="Encode"/> runs without autograd in eval mode.
/// </summary>
public sealed class VitImageEncoder : nn.Module<Tensor, Tensor>, IModalityEncoder<Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly VitEmbeddings embeddings;
    private readonly VitEncoderStack encoder;
    private readonly LayerNorm layernorm;
#pragma warning restore IDE1006

    /// <summary>Creates an encoder with PyTorch's default initialisation (load weights with <see cref="FromPretrained"/>).</summary>
    /// <param name="config">The architecture.</param>
    public VitImageEncoder(VitConfig config)
        : base(nameof(VitImageEncoder))
    {
        Config = config.Validate("ViT config");
        embeddings = new VitEmbeddings(config);
        encoder = new VitEncoderStack(config);
        layernorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        RegisterComponents();
        Freeze();
    }

    /// <summary>The architecture.</summary>
    public VitConfig Config { get; }

    /// <inheritdoc />
    public string Modality => "image";

    /// <inheritdoc />
    public int EmbeddingDim => Config.HiddenSize;

    /// <inheritdoc />
    public int TokensPerItem => 1;

    /// <inheritdoc />
    public nn.Module Module => this;

    /// <summary>
    /// Loads a Hugging Face ViT folder: <c>config.json</c> and <c>model.safetensors</c> (keys with or without the
    /// <c>vit.</c> prefix of <c>ViTForImageClassification</c>; <c>classifier.*</c> and <c>pooler.*</c> are ignored).
    /// Throws <see cref="InvalidDataException"/> naming the file and tensor for a missing or mis-shaped tensor. The
    /// caller owns the encoder.
    /// </summary>
    /// <param name="modelDirectory">Model folder.</param>
    public static VitImageEncoder FromPretrained(string modelDirectory)
    {
        var config = VitConfig.Read(Path.Combine(modelDirectory, "config.json"));
        var weights = Path.Combine(modelDirectory, "model.safetensors");
        if (!File.Exists(weights))
        {
            throw new InvalidDataException($"{weights}: not found (only safetensors checkpoints are read)");
        }

        var model = new VitImageEncoder(config);
        try
        {
            using var file = SafetensorsFile.Open(weights);
            var prefix = file.Entries.Keys.Any(k => k.StartsWith("vit.", StringComparison.Ordinal)) ? "vit." : string.Empty;
            var state = model.state_dict();
            using var noGrad = no_grad();
            foreach (var (name, target) in state)
            {
                var key = prefix + name;
                if (!file.Entries.ContainsKey(key))
                {
                    throw new InvalidDataException($"{weights}: tensor '{key}' is missing");
                }

                using var value = file.Read(key, target.dtype);
                if (!value.shape.SequenceEqual(target.shape))
                {
                    throw new InvalidDataException($"{weights}: tensor '{key}' has shape [{string.Join(", ", value.shape)}], expected [{string.Join(", ", target.shape)}]");
                }

                target.copy_(value);
            }

            var unexpected = file.Entries.Keys
                .Where(k => !k.StartsWith("classifier.", StringComparison.Ordinal) && !k.StartsWith(prefix + "pooler.", StringComparison.Ordinal))
                .FirstOrDefault(k => !k.StartsWith(prefix, StringComparison.Ordinal) || !state.ContainsKey(k[prefix.Length..]));
            if (unexpected is not null)
            {
                throw new InvalidDataException($"{weights}: unexpected tensor '{unexpected}' (not part of a ViT encoder)");
            }
        }
        catch
        {
            model.Dispose();
            throw;
        }

        return model;
    }

    /// <inheritdoc />
    /// <remarks>Images are borrowed; returns a new <c>[batch, 1, hidden]</c> tensor owned by the caller (no gradients).</remarks>
    public Tensor Encode(Tensor input)
    {
        eval();
        using var noGrad = no_grad();
        return forward(input);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var side = Config.ImageSize;
        if (input.dim() != 4 || input.shape[1] != Config.NumChannels || input.shape[2] != side || input.shape[3] != side)
        {
            throw new ArgumentException($"vit expects images [batch, {Config.NumChannels}, {side}, {side}], got [{string.Join(", ", input.shape)}] (resize first, e.g. with VitImageEncoder.Resize)");
        }

        using var scope = NewDisposeScope();
        var hidden = layernorm.forward(encoder.forward(embeddings.forward(input)));
        return hidden.narrow(1, 0, 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Bilinear resize of <c>[batch, channels, h, w]</c> images (borrowed) to the encoder's side; new tensor owned by the caller.
    /// </summary>
    /// <param name="images">Images with values in [0, 1].</param>
    public Tensor Resize(Tensor images) =>
        nn.functional.interpolate(images, [Config.ImageSize, Config.ImageSize], mode: InterpolationMode.Bilinear, align_corners: false);

    private void Freeze()
    {
        foreach (var parameter in parameters())
        {
            parameter.requires_grad = false;
        }

        eval();
    }
}

/// <summary>Patch projection, CLS token and learned positions.</summary>
internal sealed class VitEmbeddings : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly Parameter cls_token;
    private readonly Parameter position_embeddings;
    private readonly VitPatchEmbeddings patch_embeddings;
#pragma warning restore IDE1006

    public VitEmbeddings(VitConfig config)
        : base(nameof(VitEmbeddings))
    {
        cls_token = new Parameter(randn(1, 1, config.HiddenSize) * 0.02);
        position_embeddings = new Parameter(randn(1, config.Patches + 1, config.HiddenSize) * 0.02);
        patch_embeddings = new VitPatchEmbeddings(config);
        RegisterComponents();
    }

    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var patches = patch_embeddings.forward(images);
        var cls = cls_token.expand(patches.shape[0], -1, -1);
        return (cat([cls, patches], 1) + position_embeddings).MoveToOuterDisposeScope();
    }
}

/// <summary><c>projection</c>: Conv2d(channels, hidden, patch, stride patch), flattened to tokens.</summary>
internal sealed class VitPatchEmbeddings : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly Conv2d projection;
#pragma warning restore IDE1006

    public VitPatchEmbeddings(VitConfig config)
        : base(nameof(VitPatchEmbeddings))
    {
        projection = nn.Conv2d(config.NumChannels, config.HiddenSize, config.PatchSize, stride: config.PatchSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        return projection.forward(images).flatten(2).transpose(1, 2).MoveToOuterDisposeScope();
    }
}

/// <summary><c>layer.N</c>: the stack of encoder layers.</summary>
internal sealed class VitEncoderStack : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly ModuleList<VitLayer> layer;
#pragma warning restore IDE1006

    public VitEncoderStack(VitConfig config)
        : base(nameof(VitEncoderStack))
    {
        layer = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new VitLayer(config)).ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var hidden = input.alias();
        foreach (var l in layer)
        {
            hidden = l.forward(hidden);
        }

        return hidden.MoveToOuterDisposeScope();
    }
}
