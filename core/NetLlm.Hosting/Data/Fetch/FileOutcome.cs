namespace NetLlm.Hosting.Data.Fetch;

/// <summary>What happened to one file of a fetch.</summary>
public enum FileOutcome
{
    /// <summary>Already in place with the right size and SHA-256; nothing downloaded.</summary>
    Present,

    /// <summary>Downloaded from the start and verified.</summary>
    Downloaded,

    /// <summary>Completed from an earlier partial download (HTTP range request) and verified.</summary>
    Resumed,

    /// <summary>A file with other content was in place; it was replaced by the verified download.</summary>
    Replaced,

    /// <summary>Not fetched: a curated file (only a mirror has it).</summary>
    Skipped,

    /// <summary>Failed: see the error. A corrupt download is deleted; an interrupted one stays as <c>.partial</c> for the next run.</summary>
    Failed,
}
