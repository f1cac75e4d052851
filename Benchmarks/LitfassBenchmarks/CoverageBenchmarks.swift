import LitfassCoverage

/// Benchmarks of whole coverage runs.
func coverageBenchmarks() -> [Benchmark] {
    []
}
