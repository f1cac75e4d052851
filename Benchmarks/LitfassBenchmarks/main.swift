import Foundation

// Litfass benchmarks. Run in release:
//   swift run -c release LitfassBenchmarks [name-filter ...]
// Each benchmark: one warm-up run thrown away, several measured runs, the median printed.

#if DEBUG
FileHandle.standardError.write(Data("""
WARNING: this is a debug build; the figures mean nothing.
Run: swift run -c release LitfassBenchmarks

""".utf8))
#endif

let filters = Array(CommandLine.arguments.dropFirst())
let all: [Benchmark] = radioBenchmarks() + scenarioBenchmarks() + kernelBenchmarks() + coverageBenchmarks() + tiledCoverageBenchmarks() + optimiseBenchmarks()
    + importBenchmarks() + queryBenchmarks() + serveBenchmarks()
let selected = filters.isEmpty ? all : all.filter { b in filters.contains { b.name.contains($0) } }
if selected.isEmpty {
    print("No benchmark matches \(filters). Names:\n" + all.map { "  " + $0.name }.joined(separator: "\n"))
    exit(2)
}
print("benchmark".padding(toLength: 34, withPad: " ", startingAt: 0) + "median        rate                  runs  target")
for benchmark in selected {
    do {
        let result = try measure(benchmark)
        let rate = benchmark.workPerRun > 1 ? formatRate(result.ratePerSecond, unit: benchmark.unit) : ""
        print(benchmark.name.padding(toLength: 34, withPad: " ", startingAt: 0)
              + formatDuration(result.median).padding(toLength: 14, withPad: " ", startingAt: 0)
              + rate.padding(toLength: 22, withPad: " ", startingAt: 0)
              + String(benchmark.runs).padding(toLength: 6, withPad: " ", startingAt: 0)
              + benchmark.target)
    } catch {
        print("\(benchmark.name): failed: \(error)")
        exit(1)
    }
}
