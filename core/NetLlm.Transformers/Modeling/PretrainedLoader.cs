using NetLlm.Abstractions.Backbones;
using NetLlm.Core.Modules;
using NetLlm.Transformers.Checkpoints;
using static TorchSharp.torch;

namespace NetLlm.Transformers.Modeling;

/// <summary>Builds a module and fills it from a checkpoint or a seeded initialisation, disposing it on any failure.</summary>
public static class PretrainedLoader
{
    /// <summary>
    /// Creates a module with <paramref name="create"/> and fills it: with <see cref="BackboneLoadOptions.RandomInit"/>
    /// (or without a directory) by <paramref name="initialize"/>, otherwise strictly from the checkpoint of
    /// <paramref name="directory"/>. The module is disposed if anything throws; otherwise the caller owns it.
    /// </summary>
    /// <typeparam name="TModule">Module type.</typeparam>
    /// <param name="create">Builds the module.</param>
    /// <param name="directory">Model folder, or null to initialise.</param>
    /// <param name="options">Load options (pickle opt-in, random init).</param>
    /// <param name="mapping">Checkpoint name mapping.</param>
    /// <param name="architecture">Architecture name for messages.</param>
    /// <param name="initialize">Seeded random initialisation.</param>
    public static TModule Build<TModule>(Func<TModule> create, string? directory, BackboneLoadOptions options, CheckpointKeyMapping mapping, string architecture, Action<TModule> initialize)
        where TModule : nn.Module
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(initialize);
        var fromCheckpoint = directory is not null && !options.RandomInit;
        var module = CreateModule(create, skipInitialization: fromCheckpoint);
        try
        {
            if (fromCheckpoint)
            {
                using var checkpoint = CheckpointFiles.Open(directory!, options.AllowPickle);
                StateDictLoader.Load(module, checkpoint, mapping, architecture, options.MapWeights);
            }
            else
            {
                initialize(module);
            }

            module.eval();
            return module;
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>Like the directory overload of <c>Build</c>, but fills the module from an already opened checkpoint (borrowed).</summary>
    /// <typeparam name="TModule">Module type.</typeparam>
    /// <param name="create">Builds the module.</param>
    /// <param name="checkpoint">The checkpoint.</param>
    /// <param name="mapping">Name mapping.</param>
    /// <param name="architecture">Architecture name for messages.</param>
    /// <param name="mapWeights">Map tensors of the compute dtype from the file (see <see cref="BackboneLoadOptions.MapWeights"/>).</param>
    public static TModule Build<TModule>(Func<TModule> create, ICheckpointReader checkpoint, CheckpointKeyMapping mapping, string architecture, bool mapWeights = false)
        where TModule : nn.Module
    {
        ArgumentNullException.ThrowIfNull(create);
        var module = CreateModule(create, skipInitialization: true);
        try
        {
            StateDictLoader.Load(module, checkpoint, mapping, architecture, mapWeights);
            module.eval();
            return module;
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    // A strict checkpoint load overwrites every parameter, so the module is built without writing initial values
    // (no zero pass over a 7B model's memory; pages the file fills or maps never hold anything else).
    private static TModule CreateModule<TModule>(Func<TModule> create, bool skipInitialization)
    {
        if (!skipInitialization)
        {
            return create();
        }

        using var skip = ParameterAllocation.SkipInitialization();
        return create();
    }
}
