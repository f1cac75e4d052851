import Foundation
import LitfassGeo
@testable import LitfassImport
import Testing
import _LitfassTestSupport

/// Seeded hostile site lists: thousands of generated rows through the library, a few through the
/// `litfass` process. Nothing may crash; every error is one line naming the file; a failed import
/// leaves the store byte for byte as it was; a report always balances.
struct ImportFuzzTests {
    static let header = ["site_id", "operator", "sector", "lon", "lat", "height_m", "azimuth", "tilt", "band", "frequency_mhz", "eirp_dbm", "name"]

    /// A CSV of `rows` rows whose cells are mostly plausible, with hostile cells mixed in.
    static func hostileCSV(_ random: inout HostileInput, rows: Int) -> [UInt8] {
        let separator: UInt8 = random.below(4) == 0 ? 0x3B : 0x2C
        var bytes: [UInt8] = random.below(10) == 0 ? [0xEF, 0xBB, 0xBF] : []
        bytes += Array(header.joined(separator: String(UnicodeScalar(separator))).utf8) + [0x0A]
        for r in 0..<rows {
            var cells: [[UInt8]] = [
                Array("S\(r % 40)".utf8), Array(random.pick(["Vodafone", "Telekom", "Telefonica"]).utf8), Array("\(r % 3)".utf8),
                Array(String(format: "%.4f", 6.68 + Double(random.below(300)) / 10_000).utf8),
                Array(String(format: "%.4f", 51.19 + Double(random.below(300)) / 10_000).utf8),
                Array("\(10 + random.below(40))".utf8), Array("\(random.below(360))".utf8), Array("\(random.below(10))".utf8),
                Array(random.pick(["B20", "n78", "B3", "L1800", "LTE 800"]).utf8), [], Array("\(40 + random.below(30))".utf8), Array("Mast \(r)".utf8),
            ]
            // Two to four hostile cells per row.
            for _ in 0..<(2 + random.below(3)) { cells[random.below(cells.count)] = random.cellBytes() }
            if random.below(20) == 0 { cells.removeLast(random.below(3)) }          // ragged
            if random.below(30) == 0 { cells.append(random.cellBytes()) }
            for (k, cell) in cells.enumerated() {
                if k > 0 { bytes.append(separator) }
                let needsQuote = cell.contains(separator) || cell.contains(0x22) || cell.contains(0x0A) || cell.contains(0x0D)
                if needsQuote && random.below(5) != 0 {
                    bytes.append(0x22)
                    for b in cell { if b == 0x22 { bytes.append(0x22) }; bytes.append(b) }
                    bytes.append(0x22)
                } else {
                    bytes += cell
                }
            }
            bytes += random.below(5) == 0 ? [0x0D, 0x0A] : [0x0A]
        }
        return bytes
    }

    /// Checks one import attempt: a balanced report with one-line reasons, or a one-line
    /// `ImportError` naming the file with the store unchanged.
    static func check(file: String, store: String, dryRun: Bool, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try sha(store)
        do {
            let report = try SiteImporter.importSites(file: file, into: store, options: SiteImportOptions(dryRun: dryRun))
            #expect(report.balances, sourceLocation: sourceLocation)
            for reject in report.rejects {
                #expect(!reject.reason.contains("\n"), "\(reject.reason)", sourceLocation: sourceLocation)
            }
            if dryRun { #expect(try sha(store) == before, sourceLocation: sourceLocation) }
        } catch let error as ImportError {
            let text = error.description
            #expect(!text.contains("\n"), "\(text)", sourceLocation: sourceLocation)
            #expect(text.contains(file) || text.contains(store), "\(text)", sourceLocation: sourceLocation)
            #expect(try sha(store) == before, "\(text)", sourceLocation: sourceLocation)
        }
    }

    @Test func thousandsOfHostileRowsThroughTheLibrary() throws {
        let folder = TemporaryFolder("litfass-import-fuzz")
        let store = try freshStore(folder)
        var random = HostileInput(seed: 13)
        var rows = 0
        for k in 0..<24 {
            let count = 20 + random.below(200)
            let path = folder.file("f\(k).csv").path
            try Data(Self.hostileCSV(&random, rows: count)).write(to: URL(fileURLWithPath: path))
            // Every fourth file is really imported (copy-on-write into the store); the rest are dry runs.
            try Self.check(file: path, store: store, dryRun: k % 4 != 0)
            rows += count
        }
        #expect(rows > 2_000)
        // Whole-file hostility: random bytes, one huge line, only separators, a lone quote.
        let wholeFiles: [[UInt8]] = [
            (0..<3000).map { _ in UInt8(random.below(256)) },
            Array(Self.header.joined(separator: ",").utf8) + [0x0A] + [UInt8](repeating: 0x41, count: 200_000),
            [UInt8](repeating: 0x2C, count: 1000), Array("site_id,operator\n\"".utf8), [0xFF, 0xFE, 0x41],
        ]
        for (k, bytes) in wholeFiles.enumerated() {
            let path = folder.file("w\(k).csv").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            try Self.check(file: path, store: store, dryRun: k % 2 == 0)
        }
    }

    @Test func aHandfulThroughTheProcess() throws {
        let folder = TemporaryFolder("litfass-import-fuzz")
        let store = try freshStore(folder)
        var random = HostileInput(seed: 1313)
        for k in 0..<3 {
            let path = folder.file("p\(k).csv").path
            try Data(Self.hostileCSV(&random, rows: 60)).write(to: URL(fileURLWithPath: path))
            let before = try sha(store)
            let r = try runProcess(TestPaths.litfassExecutable, ["import", "sites", path, "--scenario", store, "--rejects", folder.file("r\(k).csv").path])
            #expect(r.status < 128, "exit \(r.status): \(r.stderr)")
            if r.status != 0 {
                #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
                #expect(try sha(store) == before)
            }
        }
    }
}
