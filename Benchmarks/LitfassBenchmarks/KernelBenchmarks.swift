import LitfassKernel

/// Benchmarks of the propagation kernel.
func kernelBenchmarks() -> [Benchmark] {
    []
}
