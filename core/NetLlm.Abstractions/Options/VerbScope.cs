namespace NetLlm.Abstractions.Options;

/// <summary>The verbs an option applies to.</summary>
[Flags]
public enum VerbScope
{
    /// <summary>No verb.</summary>
    None = 0,

    /// <summary><c>collect</c>: run policies and write an experience pool (the paper's RL_Collect).</summary>
    Collect = 1,

    /// <summary><c>adapt</c>: adapt a backbone to the task (the paper's Adapt).</summary>
    Adapt = 2,

    /// <summary><c>test</c> and <c>eval</c>: evaluate policies (the paper's Test).</summary>
    Test = 4,

    /// <summary><c>bench</c>: the task's performance benchmark.</summary>
    Bench = 8,

    /// <summary>Every verb.</summary>
    All = Collect | Adapt | Test | Bench,
}
