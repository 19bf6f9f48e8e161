// Leak tests compare Tensor.LiveCount, a process-wide counter: test classes must not run concurrently.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
