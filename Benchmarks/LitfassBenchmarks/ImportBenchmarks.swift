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
            return try fixture.importIntoFreshStore(fixture.csv, rows: ImportBenchmarkFixture.rows)
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
        // Issue 13: a 1 M-feature GeoJSON (the shape scripts/make-sites-geojson.py writes) into a copy of
        // the scenario. The whole `litfass import sites` process is what docs/IMPORT.md reports.
        Benchmark(name: "import.geojson-1m-new", unit: "rows", workPerRun: Double(ImportBenchmarkFixture.geoJSONRows), runs: 3,
                  target: "≥ 50 k rows/s") {
            try fixture.prepare()
            try fixture.prepareGeoJSON()
            return try fixture.importIntoFreshStore(fixture.geoJSON, rows: ImportBenchmarkFixture.geoJSONRows)
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

    /// Imports `file` into a new copy of the scenario; every one of its `rows` must be inserted.
    func importIntoFreshStore(_ file: String, rows: Int) throws -> Double {
        try? FileManager.default.removeItem(atPath: store)
        try FileManager.default.copyItem(atPath: base, toPath: store)
        let report = try SiteImporter.importSites(file: file, into: store)
        guard report.inserted == rows else { throw BenchmarkFailure("inserted \(report.inserted) rows") }
        return Double(report.inserted)
    }
    static let geoJSONRows = 1_000_000
    var geoJSON: String { folder.appendingPathComponent("sites-1m.geojson").path }
    private var geoJSONReady = false

    /// 333,334 sites × 3 sectors as GeoJSON points in the Neuss area (seeded; property names as in
    /// Tests/LitfassImportTests/Fixtures/telefonica-sites.geojson), written once.
    func prepareGeoJSON() throws {
        guard !geoJSONReady else { return }
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        _ = FileManager.default.createFile(atPath: geoJSON, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: geoJSON))
        defer { try? handle.close() }
        var text = "{\"type\": \"FeatureCollection\", \"name\": \"sites\", "
            + "\"crs\": {\"type\": \"name\", \"properties\": {\"name\": \"urn:ogc:def:crs:OGC:1.3:CRS84\"}},\n\"features\": [\n"
        let operators = ["Telekom", "Vodafone", "Telefonica"], bands = ["B20", "B3", "n78"]
        var written = 0, site = 0
        while written < Self.geoJSONRows {
            let lon = 6.672 + next() * 0.028, lat = 51.186 + next() * 0.032
            let height = 15 + Int((next() * 30).rounded())
            for (sector, azimuth) in [0, 120, 240].enumerated() where written < Self.geoJSONRows {
                let eirp = 55 + Int((next() * 10).rounded())
                text += (written == 0 ? "" : ",\n") + "{\"type\": \"Feature\", \"properties\": {\"site\": \"G\(site)\", \"sector\": \"\(sector + 1)\", "
                    + "\"antenna_height\": \(height), \"azimuth\": \(azimuth), \"downtilt\": 6, \"band\": \"\(bands[sector])\", "
                    + "\"eirp_dbm\": \(eirp), \"operator\": \"\(operators[site % 3])\"}, \"geometry\": {\"type\": \"Point\", "
                    + "\"coordinates\": [\(String(format: "%.6f", lon)), \(String(format: "%.6f", lat))]}}"
                written += 1
            }
            site += 1
            if text.utf8.count > 1 << 20 { handle.write(Data(text.utf8)); text = "" }
        }
        text += "\n]}\n"
        handle.write(Data(text.utf8))
        geoJSONReady = true
    }

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
