import LitfassRadio

/// Benchmarks of the radio models the kernel calls in its inner loop.
func radioBenchmarks() -> [Benchmark] {
    []
}
