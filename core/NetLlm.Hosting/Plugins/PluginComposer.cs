using System.Composition;
using System.Composition.Convention;
using System.Composition.Hosting;
using System.Reflection;
using NetLlm.Abstractions.Backbones;
using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;
using NetLlm.Abstractions.Testbeds;

namespace NetLlm.Hosting.Plugins;

/// <summary>
/// Composes one plugin assembly with System.Composition: every public class implementing a component contract is
/// exported by convention (plugins need no MEF attributes); classes may also use <c>[Export]</c> attributes, which
/// work because the attribute types are shared with the host.
/// </summary>
internal static class PluginComposer
{
    public sealed record Components(
        IReadOnlyList<ITask> Tasks,
        IReadOnlyList<IPolicyProvider> Policies,
        IReadOnlyList<IBackboneProvider> Backbones,
        IReadOnlyList<IEncoderProvider> Encoders,
        IReadOnlyList<ITestbed> Testbeds)
    {
        public int Count => Tasks.Count + Policies.Count + Backbones.Count + Encoders.Count + Testbeds.Count;

        public IEnumerable<string> Ids =>
            Tasks.Select(t => "task:" + t.Info.Id)
                .Concat(Policies.Select(p => "policy:" + p.Id))
                .Concat(Backbones.Select(b => "backbone:" + b.Family))
                .Concat(Encoders.Select(e => "encoder:" + e.Id))
                .Concat(Testbeds.Select(t => "testbed:" + t.Id));
    }

    public static Components Compose(Assembly assembly)
    {
        var conventions = new ConventionBuilder();
        Export<ITask>(conventions);
        Export<IPolicyProvider>(conventions);
        Export<IEncoderProvider>(conventions);
        Export<IBackboneProvider>(conventions);
        Export<ITestbed>(conventions);
        var configuration = new ContainerConfiguration().WithAssembly(assembly, conventions);
        using var container = configuration.CreateContainer();
        return new Components(
            Distinct(container.GetExports<ITask>()),
            Distinct(container.GetExports<IPolicyProvider>()),
            Distinct(container.GetExports<IBackboneProvider>()),
            Distinct(container.GetExports<IEncoderProvider>()),
            Distinct(container.GetExports<ITestbed>()));
    }

    private static void Export<T>(ConventionBuilder conventions) =>
        conventions.ForTypesMatching(t => typeof(T).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false, IsPublic: true })
            .Export<T>()
            .Shared();

    private static List<T> Distinct<T>(IEnumerable<T> items) where T : class =>
        items.Distinct(ReferenceEqualityComparer.Instance).Cast<T>().ToList();
}
