using NetLlm.Core.Options;
using NetLlm.Abstractions.Encoders;
using NetLlm.Hosting.Plugins;
using static TorchSharp.torch;

namespace NetLlm.Hosting.Tests;

/// <summary>Loads the repository's real plugin assemblies from the plugins folder next to the test binaries.</summary>
public sealed class RealPluginsTests
{
    private static string BundledRoot => Path.Combine(AppContext.BaseDirectory, "plugins");

    [Fact]
    public void EveryBundledPlugin_Loads()
    {
        using var host = PluginHost.Load([BundledRoot]);

        Assert.NotEmpty(host.Plugins);
        Assert.All(host.Plugins, p => Assert.True(p.Status == PluginStatus.Loaded, p.Error));
        Assert.Contains(host.Plugins, p => p.Manifest!.Id == "encoders.standard");
    }

    [Fact]
    public void StandardEncoder_FromTheLoadedPlugin_ProducesTokenShapes()
    {
        using var host = PluginHost.Load([BundledRoot]);
        var provider = host.Registry.GetEncoder("encoder.series-cnn");
        var options = OptionSchema.Of(provider.OptionsType).Apply(OptionSchema.Of(provider.OptionsType).CreateDefault(), [new OptionInput("kernel", 4, "test"), new OptionInput("channels", 8, "test")]);
        var encoder = (IModalityEncoder<Tensor>)provider.Create(new EncoderContext(32, [1, 6], null), options);
        using var module = encoder.Module;
        using var input = randn(5, 1, 6);
        using var tokens = encoder.Encode(input);

        Assert.Equal(new long[] { 5, 1, 32 }, tokens.shape);
        using var loss = tokens.square().sum();
        loss.backward();
        Assert.All(module.parameters(), p => Assert.NotNull(p.grad));
    }
}
