import Foundation
import LitfassCoverage
import LitfassGeo
import LitfassOptimise
import LitfassRadio
import LitfassScenario

/// Benchmarks of site optimisation: 20 of 200 synthetic candidates over 20,000 synthetic demand
/// points spread (seeded) over the Neuss scenario's extent, coverage of every candidate included
/// (ray-cast kernel, 4 m grid, 800 m candidate range), then lazy greedy + local search + bound.
func optimiseBenchmarks() -> [Benchmark] {
    [Benchmark(name: "optimise.neuss-200-candidates-20k-demand", unit: "runs", workPerRun: 1, warmUp: 0, runs: 3,
               target: "< 10 s (choose 20 of 200 over 20,000 demand units, coverage included)") {
        let scenario = try ScenarioStore.load(path: try DefaultScenario.path())
        let box = scenario.boundingBox.expanded(by: -50)
        var rng = SeededGenerator(seed: 2026)
        func point() -> MapPoint { MapPoint(x: Double.random(in: box.minX...box.maxX, using: &rng), y: Double.random(in: box.minY...box.maxY, using: &rng)) }
        let height = scenario.assumptions.smallCells.antennaHeightMeters.value
        // Candidates on the pavement: a random street vertex, 3 m to the side (as columns stand).
        let vertices = scenario.streets.flatMap(\.line.points).filter { box.contains($0) }
        let candidates = (0..<200).map { k -> Candidate in
            let v = vertices[Int.random(in: 0..<vertices.count, using: &rng)]
            return Candidate(id: "synthetic-\(k)", kind: .column, location: MapPoint(x: v.x + 3, y: v.y), antennaHeightMeters: height)
        }
        let demand = (0..<20_000).map { DemandUnit(id: "d\($0)", location: point(), weight: Double(Int.random(in: 1...10, using: &rng))) }
        let start = Date()
        var options = OptimiseOptions()
        let env = ProcessInfo.processInfo.environment
        if let r = env["LITFASS_BENCH_RESOLUTION"].flatMap(Double.init) { options.resolutionMeters = r }
        if let r = env["LITFASS_BENCH_RANGE"].flatMap(Double.init) { options.candidateRangeMeters = r }
        if let t = env["LITFASS_BENCH_TURNS"].flatMap(Int.init) { options.maxCornerTurns = t }
        let site = try SiteProblem.build(scenario: scenario, candidates: candidates, demand: demand, options: options)
        let coverage = Date().timeIntervalSince(start)
        let result = try SiteOptimiser(problem: site.problem).optimise(limit: .count(20))
        let total = Date().timeIntervalSince(start)
        FileHandle.standardError.write(Data(String(format: "  optimise: %d candidates (%d with backhaul), %d units, coverage %.2f s, solve %.2f s; gain %.0f of bound %.0f (≥ %.1f %%), %d moves, %d nonzeros\n",
                                                   candidates.count, site.candidates.count, demand.count, coverage, total - coverage, result.gain,
                                                   result.upperBound - result.baselineCovered, 100 * result.guaranteedShare, result.localSearchMoves,
                                                   site.problem.columns.reduce(0) { $0 + $1.count }).utf8))
        return result.covered
    }]
}
