using System.Runtime.CompilerServices;

namespace NetLlm.Tasks.ViewportPrediction.Tests.Support;

/// <summary>
/// Runs libtorch single-threaded in this test process: the models here are tiny, and on a shared 2-core CI
/// machine two OpenMP threads per process oversubscribe the cores (a TRACK batch measured 0.3 s with one thread
/// against 1.5-5 s with two under load). Results do not depend on it.
/// </summary>
internal static class TorchThreads
{
    [ModuleInitializer]
    internal static void UseOneThread() => TorchSharp.torch.set_num_threads(1);
}
