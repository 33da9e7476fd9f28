namespace NetLlm.Templates.Tests;

/// <summary>The tests that share one <see cref="SmokeWorkspace"/> (instantiated, built, tested, packed and installed once).</summary>
[CollectionDefinition(Name)]
public sealed class SmokeCollection : ICollectionFixture<SmokeWorkspace>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "template smoke workspace";
}
