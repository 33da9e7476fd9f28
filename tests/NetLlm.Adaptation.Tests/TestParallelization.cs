// Training and LoRA initialisation draw from libtorch's process-wide random generator (the loop re-seeds it before
// every step); test classes running concurrently would interleave their draws and make results vary between runs.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
