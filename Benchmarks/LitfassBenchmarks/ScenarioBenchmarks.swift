import Foundation
import LitfassScenario

/// Benchmarks of building and loading the default (Neuss) scenario.
func scenarioBenchmarks() -> [Benchmark] {
    let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Data")
    let osm = data.appendingPathComponent(DefaultScenario.osmFileName).path
    let assumptions = data.appendingPathComponent(DefaultScenario.assumptionsFileName).path
    let store = FileManager.default.temporaryDirectory.appendingPathComponent("litfass-bench-neuss.gpkg").path
    return [
        Benchmark(name: "scenario.build-neuss", unit: "builds", workPerRun: 1, runs: 5, target: "< 10 s") {
            let (scenario, _) = try ScenarioBuilder(osmPath: osm, assumptionsPath: assumptions).build()
            try ScenarioStore.write(scenario, to: store)
            return Double(scenario.buildings.count)
        },
        Benchmark(name: "scenario.load-neuss", unit: "loads", workPerRun: 1, runs: 9, target: "< 0.5 s") {
            if !FileManager.default.fileExists(atPath: store) {
                let (scenario, _) = try ScenarioBuilder(osmPath: osm, assumptionsPath: assumptions).build()
                try ScenarioStore.write(scenario, to: store)
            }
            return Double(try ScenarioStore.load(path: store).buildings.count)
        },
    ]
}
