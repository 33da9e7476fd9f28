using static TorchSharp.torch;

namespace NetLlm.Core.IO;

/// <summary>Maps between safetensors / numpy / config dtype names and TorchSharp scalar types.</summary>
public static class TensorDType
{
    /// <summary>Size in bytes of one element of <paramref name="type"/>.</summary>
    /// <param name="type">Scalar type.</param>
    public static int ElementSize(ScalarType type) => type switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        ScalarType.Int8 or ScalarType.Byte or ScalarType.Bool => 1,
        _ => throw new NotSupportedException($"dtype {type} is not supported"),
    };

    /// <summary>The scalar type of a safetensors dtype code (<c>F32</c>, <c>BF16</c>, ...), or null when unsupported.</summary>
    /// <param name="code">Safetensors dtype code.</param>
    public static ScalarType? FromSafetensors(string code) => code switch
    {
        "F64" => ScalarType.Float64,
        "F32" => ScalarType.Float32,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "I16" => ScalarType.Int16,
        "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        _ => null,
    };

    /// <summary>The safetensors dtype code of <paramref name="type"/>.</summary>
    /// <param name="type">Scalar type.</param>
    public static string ToSafetensors(ScalarType type) => type switch
    {
        ScalarType.Float64 => "F64",
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"dtype {type} cannot be written to safetensors"),
    };

    /// <summary>
    /// Parses a dtype name as used in configs and on the command line (<c>float32</c>, <c>fp32</c>, <c>bf16</c>,
    /// <c>bfloat16</c>, <c>float16</c>, <c>fp16</c>, <c>half</c>); throws naming the accepted values.
    /// </summary>
    /// <param name="name">Dtype name.</param>
    public static ScalarType Parse(string name) => name.ToLowerInvariant() switch
    {
        "float32" or "fp32" or "float" or "f32" => ScalarType.Float32,
        "bfloat16" or "bf16" => ScalarType.BFloat16,
        "float16" or "fp16" or "half" or "f16" => ScalarType.Float16,
        "float64" or "fp64" or "double" => ScalarType.Float64,
        _ => throw new ArgumentException($"unsupported dtype '{name}'; accepted: float32, bfloat16, float16, float64"),
    };

    /// <summary>Config-style name of <paramref name="type"/> (<c>float32</c>, <c>bfloat16</c>, ...).</summary>
    /// <param name="type">Scalar type.</param>
    public static string Name(ScalarType type) => type switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float16 => "float16",
        ScalarType.Float64 => "float64",
        ScalarType.Int64 => "int64",
        ScalarType.Int32 => "int32",
        ScalarType.Bool => "bool",
        ScalarType.Byte => "uint8",
        _ => type.ToString().ToLowerInvariant(),
    };
}
