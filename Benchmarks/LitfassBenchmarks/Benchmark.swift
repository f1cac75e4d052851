import Foundation
import LitfassKernel

/// One measured piece of work: run `warmUp` times and thrown away, then `runs` times measured.
/// `body` returns a value that is consumed, so the optimiser cannot drop the work.
struct Benchmark {
    /// Name used by the filter on the command line, e.g. `radio.38901-uma`.
    var name: String
    /// What one run does, with the unit of `work` (e.g. "evaluations").
    var unit: String
    /// Units of work done by one run (for rates); 1 for "one run is one thing".
    var workPerRun: Double
    var warmUp: Int = 1
    var runs: Int = 5
    /// Optional target, printed beside the result: e.g. "≥ 20 M evaluations/s".
    var target: String = ""
    var body: () throws -> Double
}

/// The result of one benchmark: run times in seconds, sorted.
struct BenchmarkResult {
    var benchmark: Benchmark
    var seconds: [Double]
    var median: Double { seconds[seconds.count / 2] }
    var ratePerSecond: Double { benchmark.workPerRun / median }
}

/// Consumes a value so the optimiser keeps the work that produced it.
@inline(never)
func blackHole<T>(_ value: T) {
    withUnsafePointer(to: value) { _ = $0 }
}

func measure(_ benchmark: Benchmark) throws -> BenchmarkResult {
    var sink = 0.0
    for _ in 0..<benchmark.warmUp { sink += try benchmark.body() }
    var seconds: [Double] = []
    for _ in 0..<benchmark.runs {
        let start = DispatchTime.now().uptimeNanoseconds
        sink += try benchmark.body()
        seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    blackHole(sink)
    return BenchmarkResult(benchmark: benchmark, seconds: seconds.sorted())
}

func formatDuration(_ seconds: Double) -> String {
    if seconds < 1e-3 { return String(format: "%.1f µs", seconds * 1e6) }
    if seconds < 1 { return String(format: "%.2f ms", seconds * 1e3) }
    return String(format: "%.3f s", seconds)
}

func formatRate(_ rate: Double, unit: String) -> String {
    if rate >= 1e6 { return String(format: "%.1f M %@/s", rate / 1e6, unit) }
    if rate >= 1e3 { return String(format: "%.1f k %@/s", rate / 1e3, unit) }
    return String(format: "%.1f %@/s", rate, unit)
}

/// The corner-turn counts in `LITFASS_BENCH_TURNS` (comma-separated; `fallback` when unset), each checked against the
/// kernel's range; an entry that is not a whole number is an error, not skipped.
func benchmarkCornerTurns(fallback: String) throws -> [Int] {
    let text = ProcessInfo.processInfo.environment["LITFASS_BENCH_TURNS"] ?? fallback
    return try text.split(separator: ",").map { entry in
        let trimmed = entry.trimmingCharacters(in: .whitespaces)
        guard let turns = Int(trimmed) else {
            throw BenchmarkSettingError(description: "LITFASS_BENCH_TURNS expects whole numbers 0…8, got '\(trimmed)'")
        }
        return try KernelSettings.validateCornerTurns(turns, argument: "LITFASS_BENCH_TURNS")
    }
}

/// A benchmark setting (environment variable) that cannot be used.
struct BenchmarkSettingError: Error, CustomStringConvertible {
    let description: String
}
