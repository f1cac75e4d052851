import Foundation
import LitfassImport
import LitfassScenario

/// Benchmarks of `litfass import sites`: a 100,000-row carrier CSV (33,334 sites with three
/// sectors each, semicolons and decimal commas) into a copy of the Neuss scenario, and the same
/// file again into the imported store (every row unchanged).
func importBenchmarks() -> [Benchmark] {
    let fixture = ImportBenchmarkFixture()
    let rows = Double(ImportBenchmarkFixture.rows)
    return [
        Benchmark(name: "import.csv-100k-new", unit: "rows", workPerRun: rows, runs: 5, target: "≥ 50 k rows/s") {
            try fixture.prepare()
            try? FileManager.default.removeItem(atPath: fixture.store)
            try FileManager.default.copyItem(atPath: fixture.base, toPath: fixture.store)
            let report = try SiteImporter.importSites(file: fixture.csv, into: fixture.store)
            guard report.inserted == ImportBenchmarkFixture.rows else { throw BenchmarkFailure("inserted \(report.inserted) rows") }
            return Double(report.inserted)
        },
        Benchmark(name: "import.csv-100k-unchanged", unit: "rows", workPerRun: rows, runs: 5, target: "≥ 50 k rows/s") {
            try fixture.prepare()
            if !FileManager.default.fileExists(atPath: fixture.imported) {
                try FileManager.default.copyItem(atPath: fixture.base, toPath: fixture.imported)
                _ = try SiteImporter.importSites(file: fixture.csv, into: fixture.imported)
            }
            let report = try SiteImporter.importSites(file: fixture.csv, into: fixture.imported)
            guard report.unchanged == ImportBenchmarkFixture.rows else { throw BenchmarkFailure("unchanged \(report.unchanged) rows") }
            return Double(report.unchanged)
        },
    ]
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The files of the import benchmarks, made on first use in a temporary folder.
final class ImportBenchmarkFixture {
    static let rows = 100_000
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("litfass-bench-import")
    var csv: String { folder.appendingPathComponent("sites-100k.csv").path }
    var base: String { folder.appendingPathComponent("neuss-base.gpkg").path }
    var store: String { folder.appendingPathComponent("neuss-import.gpkg").path }
    var imported: String { folder.appendingPathComponent("neuss-imported.gpkg").path }
    private var ready = false

    func prepare() throws {
        guard !ready else { return }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: imported)
        let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Data")
        let (scenario, _) = try ScenarioBuilder(osmPath: data.appendingPathComponent(DefaultScenario.osmFileName).path,
                                                assumptionsPath: data.appendingPathComponent(DefaultScenario.assumptionsFileName).path).build()
        try ScenarioStore.write(scenario, to: base)
        // A seeded generator: the same file on every machine.
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var text = "Standort-ID;Betreiber;Länge;Breite;Höhe;Azimut;Neigung;Frequenzband;EIRP (dBm);Technik\n"
        let bands = [("LTE 800", "LTE"), ("B3", "LTE"), ("n78", "NR")]
        var site = 0
        var written = 0
        let operators = ["Telekom", "Vodafone", "Telefonica"]
        while written < Self.rows {
            let lon = 6.672 + next() * 0.028, lat = 51.186 + next() * 0.032
            let height = 15 + (next() * 30).rounded()
            let op = operators[site % 3]
            for (sector, azimuth) in [0, 120, 240].enumerated() where written < Self.rows {
                let (band, tech) = bands[sector]
                let eirp = 55 + (next() * 10).rounded()
                text += "BM\(site);\(op);\(String(format: "%.6f", lon).replacingOccurrences(of: ".", with: ","));"
                    + "\(String(format: "%.6f", lat).replacingOccurrences(of: ".", with: ","));\(Int(height));\(azimuth);6;\(band);\(Int(eirp));\(tech)\n"
                written += 1
            }
            site += 1
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: csv))
        ready = true
    }
}
