namespace NetLlm.Transformers.Config;

/// <summary>
/// Marks a config property whose key must be present in a stand-alone <c>config.json</c>. Keys without it take the
/// Hugging Face default when absent (as <c>PretrainedConfig</c> subclasses do).
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class HfRequiredAttribute : Attribute
{
}
