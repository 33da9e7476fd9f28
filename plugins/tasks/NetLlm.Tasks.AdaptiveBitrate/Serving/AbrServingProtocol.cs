using NetLlm.Abstractions.Serving;
using NetLlm.Abstractions.Tasks;
using NetLlm.Tasks.AdaptiveBitrate.Data;
using NetLlm.Tasks.AdaptiveBitrate.Settings;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;
using NetLlm.Tasks.AdaptiveBitrate.Synthetic;

namespace NetLlm.Tasks.AdaptiveBitrate.Serving;

/// <summary>
/// The ABR request protocol of a server: every session streams the video the options name (RobustMPC plans with its
/// future chunk sizes, as in <c>netllm test</c>); the traces are the player's network, so they are not loaded.
/// </summary>
public sealed class AbrServingProtocol : IServingProtocol<AbrObservation, int>
{
    /// <summary>Creates the protocol for <paramref name="video"/>.</summary>
    /// <param name="video">The video.</param>
    public AbrServingProtocol(AbrVideo video)
    {
        ArgumentNullException.ThrowIfNull(video);
        Video = video;
    }

    /// <summary>The video every session streams.</summary>
    public AbrVideo Video { get; }

    /// <summary>The video the options name: the chunk-size folder of <c>--video</c>, else generated with <c>--synthetic</c>.</summary>
    /// <param name="options">Resolved options.</param>
    /// <param name="context">Data root for a relative folder.</param>
    public static AbrServingProtocol Create(AbrOptions options, TaskContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        if (options.Synthetic && options.Video is null)
        {
            return new AbrServingProtocol(AbrSyntheticData.GenerateVideo(options.SyntheticSeed + 1L));
        }

        var folder = options.Video ?? throw new ArgumentException("option --video is required (the chunk-size folder of the video the player streams), or --synthetic, or a --setting");
        return new AbrServingProtocol(VideoLoader.LoadDirectory(context.ResolvePath(folder, "option --video")));
    }

    /// <inheritdoc />
    public IServingEpisode<AbrObservation, int> BeginEpisode() => new AbrServingEpisode(Video);

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
