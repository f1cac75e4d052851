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
                      let run = try CoverageRun(scenario: try scenario(), options: options())
                      let result = try run.run()
                      print("  grid \(result.grid.columns) × \(result.grid.rows) = \(result.grid.cellCount) cells, \(run.plan.sectors.count) sectors, \(run.options.threads) threads")
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
