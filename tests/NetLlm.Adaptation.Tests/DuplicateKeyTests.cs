using System.Buffers.Binary;
using System.Text;
using NetLlm.Core.IO;
using NetLlm.Core.Lora;
using NetLlm.Testing;
using NetLlm.Transformers.Config;

namespace NetLlm.Adaptation.Tests;

/// <summary>
/// A JSON key given twice is refused naming the file, in every JSON a model, adapter or checkpoint is read from (the
/// fuzz suite found adapter_config.json, config.json and run.json answering ".NET: An item with the same key has
/// already been added", exit 2, no file named; a repeated tensor in a safetensors header silently replaced the first).
/// </summary>
public sealed class DuplicateKeyTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void AdapterConfig_WithARepeatedKey_IsInvalidDataNamingTheSource()
    {
        var e = Assert.Throws<InvalidDataException>(() => LoraOptions.FromPeftJson("""{"r": 8, "lora_alpha": 16, "r": 4, "target_modules": ["q_proj"]}""", "adapter/adapter_config.json"));
        Assert.Contains("adapter/adapter_config.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("'r'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HuggingFaceConfig_WithARepeatedKey_IsInvalidDataNamingTheSource()
    {
        var e = Assert.Throws<InvalidDataException>(() => HfConfigReader.ParseObject("""{"model_type": "llama", "hidden_size": 64, "hidden_size": 1048576}""", "model/config.json"));
        Assert.Contains("model/config.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("hidden_size", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SafetensorsHeader_WithARepeatedTensorOrANonNumberShape_IsInvalidDataNamingTheFile()
    {
        var repeated = Write("repeated.safetensors", """{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8);
        Assert.Contains(repeated, Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(repeated)).Message, StringComparison.Ordinal);

        var stringShape = Write("string-shape.safetensors", """{"w":{"dtype":"F32","shape":["1"],"data_offsets":[0,4]}}""", 4);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(stringShape));
        Assert.Contains("tensor 'w': invalid shape", e.Message, StringComparison.Ordinal);

        var nullOffset = Write("null-offset.safetensors", """{"w":{"dtype":"F32","shape":[1],"data_offsets":[null,4]}}""", 4);
        Assert.Contains("tensor 'w': invalid data_offsets", Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(nullOffset)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SafetensorsHeader_ThatIsNotUtf8_IsInvalidDataNamingTheFile()
    {
        var path = Write("latin1.safetensors", "{\"__metadata__\":{\"k\":\"\u00ff\"}}", 0, Encoding.Latin1);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("not valid UTF-8", e.Message, StringComparison.Ordinal);
    }

    private string Write(string name, string header, int dataBytes, Encoding? encoding = null)
    {
        var json = (encoding ?? Encoding.UTF8).GetBytes(header);
        var bytes = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        var path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
