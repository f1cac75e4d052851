import Foundation
import LitfassCoverage
import LitfassScenario

/// Benchmarks of whole coverage runs: the default scenario (Neuss, all 216 sectors, all three
/// operators) at 2 m on all cores, with the kernel as it stands.
func coverageBenchmarks() -> [Benchmark] {
    func scenario() throws -> Scenario { try ScenarioStore.load(path: try DefaultScenario.path()) }
    func options() -> CoverageOptions {
        var o = CoverageOptions()
        o.resolutionMeters = 2
        return o
    }
    return [
        Benchmark(name: "coverage.default-2m", unit: "cells", workPerRun: 1, warmUp: 0, runs: 3, target: "< 30 s",
                  body: {
                      let scenario = try scenario()
                      let cpu0 = cpuSeconds()
                      let run = try CoverageRun(scenario: scenario, options: options())
                      let result = try run.run()
                      let phases = result.phaseSeconds.sorted { $0.key < $1.key }.map { String(format: "%@ %.1f s", $0.key, $0.value) }
                      print(String(format: "  grid %d × %d = %d cells, %d sectors, %d threads: wall %.1f s, CPU %.1f s (%@)", result.grid.columns,
                                   result.grid.rows, result.grid.cellCount, run.plan.sectors.count, run.options.threads,
                                   result.elapsedSeconds, cpuSeconds() - cpu0, phases.joined(separator: ", ")))
                      return Double(result.operators[0].combined.rsrpDBm[result.grid.cellCount / 2])
                  }),
        Benchmark(name: "coverage.default-2m-write", unit: "files", workPerRun: 1, warmUp: 0, runs: 1, target: "GeoTIFFs + PNGs + summary",
                  body: {
                      let result = try CoverageRun(scenario: try scenario(), options: options()).run()
                      let folder = FileManager.default.temporaryDirectory.appendingPathComponent("litfass-bench-coverage-\(getpid())")
                      defer { try? FileManager.default.removeItem(at: folder) }
                      return Double(try CoverageWriter().write(result, to: folder.path).count)
                  }),
    ]
}

/// User + system CPU time of this process so far [s] (getrusage), to tell own work from waiting
/// for cores other processes hold.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}
