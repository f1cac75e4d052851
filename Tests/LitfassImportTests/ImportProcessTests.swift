import Foundation
import Glibc
import LitfassGeo
@testable import LitfassImport
import LitfassScenario
import Testing
import _LitfassTestSupport

/// The `litfass` executable: a killed import, two imports at once, exit codes.
@Suite(.serialized)
struct ImportProcessTests {
    /// A large semicolon CSV (`sites` sites with three sectors each) in the Neuss area.
    private func largeCSV(_ path: String, sites: Int, prefix: String = "K") throws {
        var text = "Standort-ID;Betreiber;Länge;Breite;Höhe;Azimut;Neigung;Frequenzband;EIRP (dBm)\n"
        text.reserveCapacity(sites * 3 * 60)
        for i in 0..<sites {
            let lon = 6.675 + Double(i % 200) * 0.0001, lat = 51.19 + Double(i / 200) * 0.0001
            for azimuth in [0, 120, 240] {
                text += "\(prefix)\(i);Vodafone;\(String(format: "%.5f", lon));\(String(format: "%.5f", lat));25;\(azimuth);5;B3;58\n"
            }
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    private func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = TestPaths.litfassExecutable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test func anImportKilledAtAnyMomentLeavesTheStoreAsItWas() throws {
        let folder = TemporaryFolder("litfass-import-kill")
        let store = try freshStore(folder)
        let csv = folder.file("large.csv").path
        try largeCSV(csv, sites: 12_000)
        // A first import, so that the store has a history and imported sites to protect.
        let small = try runProcess(TestPaths.litfassExecutable, ["import", "sites", Fixture.path("vodafone-sites-bom-crlf.csv"), "--scenario", store])
        #expect(small.status == 0, "\(small.stderr)")
        let before = try sha(store)
        let contentBefore = try siteContent(store)

        // Kill 1: while the copy of the store is being written (its temporary file exists).
        let process = try start(["import", "sites", csv, "--scenario", store])
        let temporary = store + ".import-\(process.processIdentifier).tmp"
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: temporary) && process.isRunning && Date() < deadline { usleep(2_000) }
        #expect(process.isRunning, "the import ended before it could be killed")
        usleep(30_000)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(try sha(store) == before)
        #expect(try siteContent(store) == contentBefore)
        #expect(try ImportLedger.history(store: store).count == 1)

        // Kill 2: early, while reading and checking the file.
        let early = try start(["import", "sites", csv, "--scenario", store])
        usleep(150_000)
        kill(early.processIdentifier, SIGKILL)
        early.waitUntilExit()
        #expect(try sha(store) == before)

        // The next import takes the lock at once, clears the leftovers and goes in.
        let after = try runProcess(TestPaths.litfassExecutable, ["import", "sites", csv, "--scenario", store])
        #expect(after.status == 0, "\(after.stderr)")
        #expect(after.stdout.contains("Rows read 36000 = inserted 36000 + updated 0 + unchanged 0 + rejected 0"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.contains(".import-") }
        #expect(leftovers.isEmpty)
        #expect(try ImportLedger.history(store: store).map(\.id) == [1, 2])
    }

    @Test func twoImportsAtOnceBothGoInOneAfterTheOther() throws {
        let folder = TemporaryFolder("litfass-import-two")
        let store = try freshStore(folder)
        let a = folder.file("a.csv").path, b = folder.file("b.csv").path
        try largeCSV(a, sites: 2_000, prefix: "A")
        try largeCSV(b, sites: 2_000, prefix: "B")
        let first = try start(["import", "sites", a, "--scenario", store])
        let second = try start(["import", "sites", b, "--scenario", store])
        first.waitUntilExit()
        second.waitUntilExit()
        #expect(first.terminationStatus == 0 && second.terminationStatus == 0)
        let history = try ImportLedger.history(store: store)
        #expect(history.map(\.inserted) == [6_000, 6_000])
        let sites = try importedSites(store)
        #expect(sites.count == 4_000)
        #expect(sites["imported/Vodafone/A1999"] != nil && sites["imported/Vodafone/B0"] != nil)
    }

    @Test func commandLine() throws {
        let folder = TemporaryFolder("litfass-import-cli")
        let store = folder.file("mine.gpkg").path
        let fixture = Fixture.path("telekom-standorte-latin1.csv")
        for command in [["import", "sites"], ["sites", "list"], ["sites", "export"], ["sites", "history"], ["sites", "rollback"]] {
            let help = try runProcess(TestPaths.litfassExecutable, command + ["--help"])
            #expect(help.status == 0 && help.stdout.hasPrefix("Usage: litfass \(command.joined(separator: " "))"))
        }
        #expect(try runProcess(TestPaths.litfassExecutable, ["--help"]).stdout.contains("  import sites"))
        // Without --scenario: refused, the default scenario is a cache.
        let noScenario = try runProcess(TestPaths.litfassExecutable, ["import", "sites", fixture])
        #expect(noScenario.status == 2)
        #expect(noScenario.stderr.contains("give --scenario FILE"))
        // A dry run may use the default.
        let dry = try runProcess(TestPaths.litfassExecutable, ["import", "sites", fixture, "--dry-run"])
        #expect(dry.status == 0 && dry.stdout.contains("Dry run against"))
        // A failed import into a new --scenario file leaves no file behind.
        let failed = try runProcess(TestPaths.litfassExecutable, ["import", "sites", "/nonexistent/x.csv", "--scenario", store])
        #expect(failed.status == 1 && !FileManager.default.fileExists(atPath: store))
        // A new --scenario file is created from the default.
        let rejects = folder.file("rejects.csv").path
        let imported = try runProcess(TestPaths.litfassExecutable, ["import", "sites", fixture, "--scenario", store, "--rejects", rejects])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("Note: created \(store) as a copy of the default scenario"))
        #expect(imported.stdout.contains("Rows read 18 = inserted 5 + updated 0 + unchanged 0 + rejected 13"))
        let rejectLines = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n")
        #expect(rejectLines.first == "row,line,field,value,reason")
        #expect(rejectLines.count == 1 + 15)
        #expect(rejectLines.contains("5,6,height,450,antenna height 450 m is outside 0–300 m"))
        // Bad --map and --crs: usage errors.
        #expect(try runProcess(TestPaths.litfassExecutable, ["import", "sites", fixture, "--scenario", store, "--map", "colour=X"]).status == 2)
        #expect(try runProcess(TestPaths.litfassExecutable, ["import", "sites", fixture, "--scenario", store, "--crs", "WGS84"]).status == 2)
        // An unreadable file: exit 1 naming it.
        let missing = try runProcess(TestPaths.litfassExecutable, ["import", "sites", "/nonexistent/x.csv", "--scenario", store])
        #expect(missing.status == 1 && missing.stderr.contains("/nonexistent/x.csv: cannot read the file: no such file"))
        // list, history, export, rollback.
        let list = try runProcess(TestPaths.litfassExecutable, ["sites", "list", "--scenario", store])
        #expect(list.status == 0 && list.stdout.contains("NE001") && list.stdout.contains("3 sites, 5 sectors"))
        let history = try runProcess(TestPaths.litfassExecutable, ["sites", "history", "--scenario", store, "--format", "json"])
        let records = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        #expect(records.count == 1 && records[0]["inserted"] as? Int == 5 && records[0]["rejected"] as? Int == 13)
        let historyText = try runProcess(TestPaths.litfassExecutable, ["sites", "history", "--scenario", store])
        #expect(historyText.stdout.contains("applied") && historyText.stdout.contains("telekom-standorte-latin1.csv"))
        let export = try runProcess(TestPaths.litfassExecutable, ["sites", "export", "--scenario", store])
        #expect(export.status == 0 && export.stdout.hasPrefix("operator,site_id,sector,name,lon,lat,"))
        #expect(export.stdout.split(separator: "\n").count == 1 + 5)
        let unknown = try runProcess(TestPaths.litfassExecutable, ["sites", "rollback", "--import", "9", "--scenario", store])
        #expect(unknown.status == 3)
        let rollback = try runProcess(TestPaths.litfassExecutable, ["sites", "rollback", "--import", "1", "--scenario", store])
        #expect(rollback.status == 0 && rollback.stdout.contains("3 sites removed, 0 sites restored"))
        let info = try runProcess(TestPaths.litfassExecutable, ["sites", "list", "--scenario", store])
        #expect(info.stdout.contains("0 sites, 0 sectors"))
    }
}
