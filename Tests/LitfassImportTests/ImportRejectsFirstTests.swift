import Foundation
import Testing
@testable import LitfassImport
import _LitfassTestSupport

/// The rejects file is written before the store changes: when it cannot be written, the import
/// fails (exit 1) with the store as it was.
@Suite struct ImportRejectsFirstTests {
    let list = Fixture.path("vodafone-sites-bom-crlf.csv")

    @Test func anUnwritableRejectsFileStopsTheImportBeforeTheStoreChanges() throws {
        let folder = TemporaryFolder("litfass-targets")
        let store = try freshStore(folder)
        let before = try sha(store)
        let rejects = folder.file("no-such-folder/rejects.csv").path
        let r = try runProcess(TestPaths.litfassExecutable, ["import", "sites", list, "--scenario", store, "--rejects", rejects])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("does not exist"), "\(r.stderr)")
        #expect(try sha(store) == before)
        #expect(try ImportLedger.history(store: store).isEmpty)
        // A writable rejects file: the import runs and the file is there.
        let ok = try runProcess(TestPaths.litfassExecutable, ["import", "sites", list, "--scenario", store, "--rejects", folder.file("rejects.csv").path])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.file("rejects.csv").path))
    }
}
