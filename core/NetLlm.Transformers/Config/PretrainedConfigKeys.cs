namespace NetLlm.Transformers.Config;

/// <summary>
/// Keys that <c>transformers.PretrainedConfig</c> (4.34) writes into every config.json, whatever the model: generation
/// defaults, label maps, token ids, bookkeeping. They are accepted by every family and ignored unless the family's
/// config class reads them.
/// </summary>
public static class PretrainedConfigKeys
{
    /// <summary>The generic keys.</summary>
    public static IReadOnlySet<string> Generic { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "return_dict", "output_hidden_states", "output_attentions", "torchscript", "torch_dtype", "use_bfloat16",
        "tf_legacy_loss", "pruned_heads", "tie_word_embeddings", "is_encoder_decoder", "is_decoder",
        "cross_attention_hidden_size", "add_cross_attention", "tie_encoder_decoder", "max_length", "min_length",
        "do_sample", "early_stopping", "num_beams", "num_beam_groups", "diversity_penalty", "temperature", "top_k",
        "top_p", "typical_p", "repetition_penalty", "length_penalty", "no_repeat_ngram_size",
        "encoder_no_repeat_ngram_size", "bad_words_ids", "num_return_sequences", "chunk_size_feed_forward",
        "output_scores", "return_dict_in_generate", "forced_bos_token_id", "forced_eos_token_id",
        "remove_invalid_values", "exponential_decay_length_penalty", "suppress_tokens", "begin_suppress_tokens",
        "architectures", "finetuning_task", "id2label", "label2id", "num_labels", "tokenizer_class", "prefix",
        "bos_token_id", "pad_token_id", "eos_token_id", "sep_token_id", "decoder_start_token_id",
        "task_specific_params", "problem_type", "_name_or_path", "_commit_hash", "_attn_implementation",
        "transformers_version", "gradient_checkpointing", "use_cache", "model_type", "dtype",
    };

    /// <summary>Keys that announce a feature this implementation does not run (the reader rejects them).</summary>
    public static IReadOnlyDictionary<string, string> Unsupported { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["quantization_config"] = "quantized checkpoints (bitsandbytes/GPTQ/AWQ) are not supported; use a float16, bfloat16 or float32 checkpoint",
    };
}
