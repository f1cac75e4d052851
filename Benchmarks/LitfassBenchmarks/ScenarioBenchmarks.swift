import LitfassScenario

/// Benchmarks of building and loading a scenario.
func scenarioBenchmarks() -> [Benchmark] {
    []
}
