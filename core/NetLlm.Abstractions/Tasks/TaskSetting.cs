namespace NetLlm.Abstractions.Tasks;

/// <summary>A named evaluation or training setting of a task (the paper's default and unseen settings).</summary>
/// <param name="Name">Name used with <c>--setting</c>, for example <c>default</c> or <c>unseen-1</c>.</param>
/// <param name="Description">What it changes.</param>
/// <param name="Values">The option values it stands for (the same keys as the task's options).</param>
public sealed record TaskSetting(string Name, string Description, IReadOnlyDictionary<string, string> Values);
