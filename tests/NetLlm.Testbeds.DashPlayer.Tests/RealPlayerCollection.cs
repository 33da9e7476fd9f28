namespace NetLlm.Testbeds.DashPlayer.Tests;

/// <summary>
/// The classes whose tests play video in headless Chromium run one after another: every playback runs in real time
/// over a shaped link, and two browsers decoding video next to a <c>netllm serve</c> on a 2-core machine starve
/// each other (a CI run saw a playback stop finishing that way).
/// </summary>
[CollectionDefinition(Name)]
public sealed class RealPlayerCollection
{
    public const string Name = "real player";
}
