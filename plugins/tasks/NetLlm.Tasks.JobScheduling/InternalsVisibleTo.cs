using System.Runtime.CompilerServices;

// The unit tests check internal pieces of the simulator (duration sampling levels, executor bookkeeping) directly.
[assembly: InternalsVisibleTo("NetLlm.Tasks.JobScheduling.Tests")]
