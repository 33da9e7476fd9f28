using NetLlm.Transformers.Config;
using System.Buffers.Binary;
using System.Text.Json.Nodes;
using NetLlm.Transformers.Checkpoints;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Llama.Llama2C;

/// <summary>
/// Reads a llama2.c "legacy" (version 0) checkpoint: a header of seven little-endian int32
/// (<c>dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len</c>; a negative vocab size means an unshared
/// classifier follows the weights) and float32 arrays in the order token embedding, rms_att, wq, wk, wv, wo, rms_ffn,
/// w1, w2, w3, rms_final, freq_cis_real, freq_cis_imag[, wcls]. Matrices are <c>nn.Linear</c> weights
/// (<c>[out, in]</c>). llama2.c rotates interleaved pairs, so wq/wk are permuted into the Hugging Face rotate_half
/// layout exactly as transformers' <c>convert_llama_weights_to_hf.py</c> does; the file's precomputed RoPE tables are
/// checked against <c>rope_theta</c>.
/// </summary>
public static class Llama2CCheckpoint
{
    private const int HeaderInts = 7;
    private const uint VersionedMagic = 0x616b3432; // "ak42": llama2.c export versions >= 1

    /// <summary>True when a model folder's config.json describes a llama2.c checkpoint (its <c>format</c> key).</summary>
    /// <param name="config">Parsed config.json.</param>
    public static bool IsLlama2CConfig(JsonObject config) =>
        config is not null && config.TryGetPropertyValue("format", out var f) && f is JsonValue v
        && v.TryGetValue<string>(out var s) && s.StartsWith("llama2.c", StringComparison.OrdinalIgnoreCase);

    /// <summary>A llama2.c folder's config.json (dim, hidden_dim, n_layers, ...) as a Hugging Face Llama config.</summary>
    /// <param name="o">The llama2.c config.</param>
    /// <param name="path">Its file, for messages.</param>
    public static JsonObject HuggingFaceConfig(JsonObject o, string path)
    {
        ArgumentNullException.ThrowIfNull(o);
        int Get(string k) => o[k] is JsonValue v && v.TryGetValue<int>(out var i) ? i : throw new InvalidDataException($"{path}: missing or non-integer key '{k}'");
        double Real(string k, double fallback) => o[k] is null ? fallback : o[k] is JsonValue v && v.TryGetValue<double>(out var d) ? d : throw new InvalidDataException($"{path}: '{k}' must be a number");
        return new JsonObject
        {
            ["architectures"] = new JsonArray("LlamaForCausalLM"),
            ["model_type"] = "llama",
            ["hidden_size"] = Get("dim"),
            ["intermediate_size"] = Get("hidden_dim"),
            ["num_hidden_layers"] = Get("n_layers"),
            ["num_attention_heads"] = Get("n_heads"),
            ["num_key_value_heads"] = Get("n_kv_heads"),
            ["vocab_size"] = Get("vocab_size"),
            ["max_position_embeddings"] = Get("max_seq_len"),
            ["rms_norm_eps"] = Real("norm_eps", 1e-5),
            ["rope_theta"] = Real("rope_theta", 10000.0),
            ["tie_word_embeddings"] = o["shared_classifier"] is JsonValue s && s.TryGetValue<bool>(out var b) ? b : true,
            ["hidden_act"] = "silu",
            ["torch_dtype"] = "float32",
        };
    }

    /// <summary>True when <paramref name="directory"/> holds a config.json whose <c>format</c> names llama2.c.</summary>
    /// <param name="directory">A model folder.</param>
    public static bool IsLlama2CFolder(string directory)
    {
        var path = Path.Combine(directory, "config.json");
        if (!File.Exists(path) || new FileInfo(path).Length > HfConfigReader.MaxConfigBytes)
        {
            return false;
        }

        try
        {
            return IsLlama2CConfig(HfConfigReader.ParseFile(path));
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads <paramref name="path"/> into a Llama config and Hugging Face-named tensors (an in-memory checkpoint the
    /// caller owns). Errors name the file.
    /// </summary>
    /// <param name="path">The .bin file.</param>
    /// <param name="normEps">RMSNorm epsilon (llama2.c default 1e-5).</param>
    /// <param name="ropeTheta">Rotary base (llama2.c default 10000).</param>
    public static (LlamaConfig Config, InMemoryCheckpoint Weights) Read(string path, double normEps = 1e-5, double ropeTheta = 10000.0)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: llama2.c checkpoint not found", path);
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < HeaderInts * 4)
        {
            throw new InvalidDataException($"{path}: truncated llama2.c checkpoint ({bytes.Length} bytes; the 28-byte header is incomplete)");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes) == VersionedMagic)
        {
            throw new InvalidDataException($"{path}: llama2.c export version {BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4))} is not supported; only the legacy (version 0) float32 format is read");
        }

        var h = new int[HeaderInts];
        for (var i = 0; i < HeaderInts; i++)
        {
            h[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(i * 4));
        }

        var (dim, hidden, layers, heads, kvHeads, vocabSigned, seqLen) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6]);
        var shared = vocabSigned > 0;
        var vocab = Math.Abs(vocabSigned);
        if (dim <= 0 || hidden <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || vocab == 0 || seqLen <= 0
            || dim % heads != 0 || heads % kvHeads != 0 || (dim / heads) % 2 != 0)
        {
            throw new InvalidDataException($"{path}: implausible llama2.c header dim={dim} hidden_dim={hidden} n_layers={layers} n_heads={heads} n_kv_heads={kvHeads} vocab_size={vocabSigned} seq_len={seqLen}");
        }

        var headSize = dim / heads;
        var kvDim = dim / heads * kvHeads;
        long L = layers;
        var sizes = new List<(string Name, long[] Shape)>
        {
            ("tok", [vocab, dim]),
            ("rms_att", [L, dim]),
            ("wq", [L, dim, dim]),
            ("wk", [L, kvDim, dim]),
            ("wv", [L, kvDim, dim]),
            ("wo", [L, dim, dim]),
            ("rms_ffn", [L, dim]),
            ("w1", [L, hidden, dim]),
            ("w2", [L, dim, hidden]),
            ("w3", [L, hidden, dim]),
            ("rms_final", [dim]),
            ("freq_cis_real", [seqLen, headSize / 2]),
            ("freq_cis_imag", [seqLen, headSize / 2]),
        };
        if (!shared)
        {
            sizes.Add(("wcls", [vocab, dim]));
        }

        var floats = sizes.Sum(s => s.Shape.Aggregate(1L, (a, b) => a * b));
        var expected = HeaderInts * 4 + floats * 4;
        if (bytes.Length != expected)
        {
            throw new InvalidDataException($"{path}: a llama2.c checkpoint with this header (dim {dim}, {layers} layers, vocab {vocab}, {(shared ? "shared" : "separate")} classifier) has {expected} bytes, the file has {bytes.Length}{(bytes.Length < expected ? " (truncated)" : string.Empty)}");
        }

        var raw = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            long offset = HeaderInts * 4;
            foreach (var (name, shape) in sizes)
            {
                var count = shape.Aggregate(1L, (a, b) => a * b);
                var t = empty(shape, dtype: ScalarType.Float32);
                t.bytes = bytes.AsSpan((int)offset, (int)(count * 4));
                raw[name] = t;
                offset += count * 4;
            }

            CheckRopeTables(path, raw["freq_cis_real"], raw["freq_cis_imag"], headSize, ropeTheta);
            tensors["model.embed_tokens.weight"] = raw["tok"].clone();
            tensors["model.norm.weight"] = raw["rms_final"].clone();
            if (!shared)
            {
                tensors["lm_head.weight"] = raw["wcls"].clone();
            }

            for (var l = 0; l < layers; l++)
            {
                var p = $"model.layers.{l}.";
                tensors[p + "input_layernorm.weight"] = raw["rms_att"][l].clone();
                tensors[p + "post_attention_layernorm.weight"] = raw["rms_ffn"][l].clone();
                tensors[p + "self_attn.q_proj.weight"] = InterleavedToRotateHalf(raw["wq"][l], heads);
                tensors[p + "self_attn.k_proj.weight"] = InterleavedToRotateHalf(raw["wk"][l], kvHeads);
                tensors[p + "self_attn.v_proj.weight"] = raw["wv"][l].clone();
                tensors[p + "self_attn.o_proj.weight"] = raw["wo"][l].clone();
                tensors[p + "mlp.gate_proj.weight"] = raw["w1"][l].clone();
                tensors[p + "mlp.down_proj.weight"] = raw["w2"][l].clone();
                tensors[p + "mlp.up_proj.weight"] = raw["w3"][l].clone();
            }
        }
        catch
        {
            foreach (var t in tensors.Values)
            {
                t.Dispose();
            }

            throw;
        }
        finally
        {
            foreach (var t in raw.Values)
            {
                t.Dispose();
            }
        }

        var config = new LlamaConfig
        {
            HiddenSize = dim,
            IntermediateSize = hidden,
            NumHiddenLayers = layers,
            NumAttentionHeads = heads,
            NumKeyValueHeads = kvHeads,
            VocabSize = vocab,
            MaxPositionEmbeddings = seqLen,
            RmsNormEps = normEps,
            RopeTheta = ropeTheta,
            TieWordEmbeddings = shared,
            HiddenAct = "silu",
        };
        config.Validate(path);
        return (config, new InMemoryCheckpoint(path, tensors));
    }

    /// <summary>
    /// Permutes a q/k weight <c>[heads*head_dim, in]</c> (borrowed) whose rows hold interleaved (real, imaginary) pairs
    /// per head into the rotate_half layout (all real parts, then all imaginary parts, per head):
    /// <c>w.view(heads, head_dim/2, 2, in).transpose(1, 2).reshape(out, in)</c>. New tensor, caller owns.
    /// </summary>
    /// <param name="weight">Weight in llama2.c/Meta layout.</param>
    /// <param name="heads">Heads the rows are split into.</param>
    public static Tensor InterleavedToRotateHalf(Tensor weight, int heads)
    {
        ArgumentNullException.ThrowIfNull(weight);
        var (rows, cols) = (weight.shape[0], weight.shape[1]);
        using var view = weight.reshape(heads, rows / heads / 2, 2, cols);
        using var swapped = view.transpose(1, 2);
        return swapped.reshape(rows, cols).contiguous();
    }

    private static void CheckRopeTables(string path, Tensor real, Tensor imag, int headSize, double theta)
    {
        using var scope = NewDisposeScope();
        var exponent = arange(0, headSize, 2, dtype: ScalarType.Float64) / headSize;
        var invFreq = full_like(exponent, theta).pow(exponent).reciprocal();
        var angles = arange(0, real.shape[0], dtype: ScalarType.Float64).unsqueeze(1) * invFreq.unsqueeze(0);
        var error = Math.Max(
            (angles.cos() - real.to_type(ScalarType.Float64)).abs().max().item<double>(),
            (angles.sin() - imag.to_type(ScalarType.Float64)).abs().max().item<double>());
        if (error > 1e-3)
        {
            throw new InvalidDataException($"{path}: the file's RoPE tables do not match rope_theta {theta} and head size {headSize} (max difference {error:G3}); set rope_theta in config.json");
        }
    }
}
