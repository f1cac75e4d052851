import Foundation
import Testing
import LitfassGeo
@testable import LitfassImport
import LitfassScenario
import _LitfassTestSupport

/// Output files given on the command line: a link, a FIFO or a folder is refused, never replaced.
@Suite struct ImportOutputTargetTests {
    let list = Fixture.path("vodafone-sites-bom-crlf.csv")

    @Test func rejectsGivenAsASymlinkOrFIFOIsRefusedAndLeftAlone() throws {
        let folder = TemporaryFolder("litfass-targets")
        let store = try freshStore(folder)
        let before = try sha(store)
        let victim = folder.file("victim.txt").path
        try "keep me\n".write(toFile: victim, atomically: true, encoding: .utf8)
        let link = folder.file("link.csv").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: victim)
        let fifo = folder.file("fifo.csv").path
        #expect(mkfifo(fifo, 0o600) == 0)
        for (target, message) in [(link, "symbolic link"), (fifo, "device, FIFO or socket"), (folder.url.path, "is a directory")] {
            let r = try runProcess(TestPaths.litfassExecutable, ["import", "sites", list, "--scenario", store, "--rejects", target])
            #expect(r.status == 1, "\(target): \(r.stderr)")
            #expect(r.stderr.contains(message) && r.stderr.contains(target), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        }
        #expect(try sha(store) == before)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == victim)
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep me\n")
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    }

    @Test func exportAndQueryOutGivenAsASymlinkAreRefused() throws {
        let folder = TemporaryFolder("litfass-targets")
        let store = try freshStore(folder)
        _ = try SiteImporter.importSites(file: list, into: store)
        let victim = folder.file("victim.csv").path
        try "keep me\n".write(toFile: victim, atomically: true, encoding: .utf8)
        let link = folder.file("export.csv").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: victim)
        let r = try runProcess(TestPaths.litfassExecutable, ["sites", "export", "--scenario", store, "--out", link])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("symbolic link"), "\(r.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == victim)
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep me\n")
        // scenario build --out: the store writer refuses the link too.
        let scenario = try ScenarioStore.load(path: store)
        #expect(throws: ScenarioError.self) { try ScenarioStore.write(scenario, to: link) }
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == victim)
        // The library helper every writer uses.
        #expect(throws: GeoError.self) { try OutputTarget.write(Data("x".utf8), to: link) }
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep me\n")
    }
}
