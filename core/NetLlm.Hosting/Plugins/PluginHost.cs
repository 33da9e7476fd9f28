using System.Composition.Hosting;
using System.Reflection;
using System.Runtime.Loader;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetLlm.Abstractions;
using NetLlm.Abstractions.Backbones;
using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Plugins;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Plugins;

namespace NetLlm.Hosting.Plugins;

/// <summary>
/// Discovers, checks, loads and composes plugins. Each plugin assembly gets its own load context
/// (McMaster.NETCore.Plugins) that shares the contracts, NetLlm.Core, TorchSharp, logging and the MEF attribute
/// types with the host (NetLlm.Transformers too: the backbone families build on it), and — for plugins that declare dependencies — the types of the plugins they depend on.
/// A plugin that fails for any reason is recorded with the reason and never stops the others from loading.
/// </summary>
public sealed class PluginHost : IDisposable
{
    private static readonly Type[] SharedTypes =
    [
        typeof(ITask),
        typeof(PluginRegistry),
        typeof(NetLlm.Transformers.Config.HfConfigReader),
        typeof(TorchSharp.torch),
        typeof(System.Composition.ExportAttribute),
        typeof(ILogger),
    ];

    private readonly List<PluginLoader> _loaders = [];

    private PluginHost(IReadOnlyList<string> roots, IReadOnlyList<PluginRecord> plugins)
    {
        Roots = roots;
        Plugins = plugins;
    }

    /// <summary>The plugin roots that were searched.</summary>
    public IReadOnlyList<string> Roots { get; }

    /// <summary>Every plugin folder found, loaded or failed, sorted by root then folder name.</summary>
    public IReadOnlyList<PluginRecord> Plugins { get; }

    /// <summary>The components of the loaded plugins.</summary>
    public IPluginRegistry Registry { get; private set; } = PluginRegistry.Empty;

    /// <summary>The testbeds of the loaded plugins (the <c>realtest</c> verb dispatches to them).</summary>
    public IReadOnlyList<NetLlm.Abstractions.Testbeds.ITestbed> Testbeds { get; private set; } = [];

    /// <summary>Loads every plugin under <paramref name="roots"/>.</summary>
    /// <param name="roots">Plugin roots (see <see cref="PluginDirectories"/>).</param>
    /// <param name="logger">Receives one line per failed plugin.</param>
    public static PluginHost Load(IEnumerable<string> roots, ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;
        var rootList = roots.ToList();
        var records = new List<PluginRecord>();
        foreach (var (folder, assemblyPath) in PluginDirectories.Enumerate(rootList))
        {
            var record = new PluginRecord(assemblyPath);
            records.Add(record);
            if (!File.Exists(assemblyPath))
            {
                record.Fail($"plugin folder '{folder}' has no {Path.GetFileName(assemblyPath)} (a plugin folder must hold <Name>/<Name>.dll)");
                continue;
            }

            try
            {
                record.Manifest = ManifestReader.Read(assemblyPath);
                if (record.Manifest is null)
                {
                    record.Fail("no plugin manifest: the assembly must declare [assembly: NetLlmPlugin(id, kind, version)]");
                }
            }
            catch (Exception e) when (e is BadImageFormatException or InvalidDataException or IOException)
            {
                record.Fail("cannot read the assembly: " + e.Message);
            }
        }

        var candidates = records.Where(r => r.Manifest is not null).ToList();
        CheckContracts(candidates);
        var copies = candidates.Where(r => r.Error is null).GroupBy(r => r.Manifest!.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var host = new PluginHost(rootList, records);
        var ordered = OrderByDependencies(copies.Values.Select(c => c[0]).ToList());
        var tasks = new List<ITask>();
        var policies = new List<IPolicyProvider>();
        var backbones = new List<IBackboneProvider>();
        var encoders = new List<IEncoderProvider>();
        var testbeds = new List<NetLlm.Abstractions.Testbeds.ITestbed>();
        var byId = candidates.GroupBy(r => r.Manifest!.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var record in ordered)
        {
            var manifest = record.Manifest!;
            var blocked = manifest.DependsOn.FirstOrDefault(d => !byId.TryGetValue(d, out var dep) || dep.Status != PluginStatus.Loaded);
            if (blocked is not null)
            {
                record.Fail(byId.ContainsKey(blocked)
                    ? $"depends on plugin '{blocked}', which failed to load"
                    : $"depends on plugin '{blocked}', which is not installed");
                continue;
            }

            // Several folders may declare one id (a stale or broken copy beside the genuine one): the first copy that
            // loads is used, in root and folder order; the others are reported with both paths.
            var dependencies = manifest.DependsOn.Select(d => byId[d].LoadContext!).ToList();
            var sameId = copies.TryGetValue(manifest.Id, out var list) ? list : [record];
            var chosen = sameId.FirstOrDefault(copy =>
            {
                host.LoadOne(copy, dependencies);
                return copy.Status == PluginStatus.Loaded;
            });
            ReportDuplicates(sameId, chosen);
            if (chosen is null)
            {
                continue;
            }

            byId[manifest.Id] = chosen;
            var components = chosen.ComponentsFound!;
            var clash = FindClash(components, tasks.Select(t => "task:" + t.Info.Id).Concat(policies.Select(p => "policy:" + p.Id)).Concat(encoders.Select(e => "encoder:" + e.Id)), backbones);
            if (clash is not null)
            {
                chosen.Fail(clash);
                continue;
            }

            tasks.AddRange(components.Tasks);
            policies.AddRange(components.Policies);
            backbones.AddRange(components.Backbones);
            encoders.AddRange(components.Encoders);
            testbeds.AddRange(components.Testbeds);
        }

        foreach (var untried in candidates.Where(r => r.Status == PluginStatus.Failed && r.Error is null))
        {
            var first = byId[untried.Manifest!.Id];
            untried.Fail($"not loaded: plugin id '{untried.Manifest.Id}' is also declared by {first.AssemblyPath}, which was tried first and failed: {first.Error}");
        }

        foreach (var failed in records.Where(r => r.Status == PluginStatus.Failed))
        {
            logger.LogDebug("Plugin failed: {Error}", failed.Error);
        }

        host.Registry = new PluginRegistry(tasks, policies, backbones, encoders);
        host.Testbeds = testbeds;
        return host;
    }

    private void LoadOne(PluginRecord record, IReadOnlyList<AssemblyLoadContext> dependencies)
    {
        var manifest = record.Manifest!;
        try
        {
            DepsFileCheck.Validate(Path.ChangeExtension(record.AssemblyPath, ".deps.json"));
            var loader = PluginLoader.CreateFromAssemblyFile(record.AssemblyPath, SharedTypes, config =>
            {
                config.PreferSharedTypes = true;
                if (dependencies.Count > 0)
                {
                    config.DefaultContext = new DependencyLoadContext("deps-of-" + manifest.Id, dependencies);
                }
            });
            _loaders.Add(loader);
            var assembly = loader.LoadDefaultAssembly();
            record.Assembly = assembly;
            record.LoadContext = loader.LoadContext;
            PluginComposer.Components components;
            using (loader.EnterContextualReflection())
            {
                components = PluginComposer.Compose(assembly);
            }

            if (components.Count == 0)
            {
                record.Fail("no exports found in " + Path.GetFileName(record.AssemblyPath)
                    + ": a plugin must contain a public class with a public parameterless constructor implementing ITask, IPolicyProvider, IBackboneProvider, IEncoderProvider or ITestbed");
                return;
            }

            record.ComponentsFound = components;
            record.Components = components.Ids.ToList();
            record.Status = PluginStatus.Loaded;
            record.Error = null;
        }
        catch (Exception e)
        {
            record.Fail(Describe(e));
        }
    }

    private static string Describe(Exception e)
    {
        var inner = e;
        while (inner is TargetInvocationException or CompositionFailedException or TypeInitializationException && inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        if (inner is ReflectionTypeLoadException rtle)
        {
            var first = rtle.LoaderExceptions.FirstOrDefault(x => x is not null);
            return "types could not be loaded: " + (first?.Message ?? rtle.Message);
        }

        if (inner is InvalidDataException)
        {
            return "could not be loaded: " + inner.Message;
        }

        var site = inner.TargetSite?.DeclaringType?.FullName;
        return inner == e && e is not CompositionFailedException
            ? $"could not be loaded: {e.GetType().Name}: {e.Message}"
            : $"a component could not be created{(site is null ? string.Empty : " (" + site + ")")}: {inner.GetType().Name}: {inner.Message}";
    }

    private static void CheckContracts(List<PluginRecord> candidates)
    {
        foreach (var record in candidates)
        {
            if (ContractCheck.Problem(record.Manifest!) is { } problem)
            {
                record.Fail(problem);
            }
        }
    }

    private static void ReportDuplicates(List<PluginRecord> sameId, PluginRecord? chosen)
    {
        if (sameId.Count < 2)
        {
            return;
        }

        var id = sameId[0].Manifest!.Id;
        var paths = string.Join(", ", sameId.Select(r => r.AssemblyPath));
        foreach (var copy in sameId.Where(r => r != chosen))
        {
            var own = copy.Status == PluginStatus.Failed && copy.Error is { } error ? $" (this copy failed: {error})" : string.Empty;
            copy.Fail(chosen is not null
                ? $"plugin id '{id}' is declared by {sameId.Count} assemblies ({paths}); {chosen.AssemblyPath} is loaded and this copy is not{own}"
                : $"plugin id '{id}' is declared by {sameId.Count} assemblies ({paths}) and none of them loads{own}");
        }
    }

    private static List<PluginRecord> OrderByDependencies(List<PluginRecord> records)
    {
        var byId = records.ToDictionary(r => r.Manifest!.Id, StringComparer.Ordinal);
        var ordered = new List<PluginRecord>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        void Visit(PluginRecord r, Stack<string> path)
        {
            var id = r.Manifest!.Id;
            if (state.TryGetValue(id, out var s))
            {
                if (s == 1)
                {
                    var cycle = path.Reverse().SkipWhile(p => p != id).Append(id);
                    r.Fail("dependency cycle: " + string.Join(" -> ", cycle));
                }

                return;
            }

            state[id] = 1;
            path.Push(id);
            foreach (var dep in r.Manifest.DependsOn)
            {
                if (byId.TryGetValue(dep, out var d))
                {
                    Visit(d, path);
                }
            }

            path.Pop();
            state[id] = 2;
            ordered.Add(r);
        }

        foreach (var r in records)
        {
            Visit(r, new Stack<string>());
        }

        return ordered.Where(r => r.Error is null).ToList();
    }

    private static string? FindClash(PluginComposer.Components c, IEnumerable<string> existingIds, IReadOnlyList<IBackboneProvider> backbones)
    {
        var existing = existingIds.ToHashSet(StringComparer.Ordinal);
        var id = c.Ids.Where(i => !i.StartsWith("backbone:", StringComparison.Ordinal)).FirstOrDefault(existing.Contains);
        if (id is not null)
        {
            var colon = id.IndexOf(':', StringComparison.Ordinal);
            return $"{id[..colon]} '{id[(colon + 1)..]}' is already provided by another plugin";
        }

        var b = c.Backbones.SelectMany(x => x.ModelTypes).FirstOrDefault(m => backbones.Any(y => y.ModelTypes.Contains(m)));
        return b is not null ? $"backbone model_type '{b}' is already provided by another plugin" : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var loader in _loaders)
        {
            loader.Dispose();
        }

        _loaders.Clear();
    }
}
