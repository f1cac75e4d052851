import Foundation
import Glibc
import LitfassGeo
@testable import LitfassImport
import LitfassScenario
import Testing
import _LitfassTestSupport

/// Upserts, history, rollback, dry runs, locking and round trips through the store.
struct ImportStoreTests {
    @Test func reimportingTheSameFileChangesNothing() throws {
        let folder = TemporaryFolder("litfass-import")
        let store = try freshStore(folder)
        let file = Fixture.path("telekom-standorte-latin1.csv")
        _ = try SiteImporter.importSites(file: file, into: store)
        let after = try siteContent(store)
        let again = try SiteImporter.importSites(file: file, into: store)
        #expect((again.inserted, again.updated, again.unchanged, again.rejected) == (0, 0, 5, 13))
        #expect(again.sitesInserted == 0 && again.sitesUpdated == 0)
        #expect(again.earlierImportsOfSameFile == [1])
        #expect(try siteContent(store) == after)
        let history = try ImportLedger.history(store: store)
        #expect(history.map(\.id) == [1, 2])
        #expect(history[1].unchanged == 5 && history[1].checksum == history[0].checksum && history[1].status == "applied")
        #expect(history[0].checksum == (try sha(file)))
    }

    @Test func updatesRemovalsHistoryAndRollback() throws {
        let folder = TemporaryFolder("litfass-import")
        let store = try freshStore(folder)
        let original = try siteContent(store)
        let first = folder.file("v1.csv").path, second = folder.file("v2.csv").path
        try """
        site;operator;lon;lat;height;azimuth;band;eirp
        A;Telekom;6,690;51,200;20;0;B20;58
        A;Telekom;6,690;51,200;20;120;B20;58
        A;Telekom;6,690;51,200;20;240;B20;58
        B;Telekom;6,695;51,205;25;0;B3;56

        """.write(toFile: first, atomically: true, encoding: .utf8)
        try """
        site;operator;lon;lat;height;azimuth;band;eirp
        A;Telekom;6,690;51,200;20;0;B20;58
        A;Telekom;6,690;51,200;24;120;B20;58
        C;Telekom;6,685;51,195;15;90;n78;70

        """.write(toFile: second, atomically: true, encoding: .utf8)
        let r1 = try SiteImporter.importSites(file: first, into: store, options: SiteImportOptions(crs: .wgs84))
        #expect((r1.inserted, r1.sitesInserted) == (4, 2))
        let afterFirst = try siteContent(store)
        let r2 = try SiteImporter.importSites(file: second, into: store)
        // A: sector 0 unchanged, sector 120 higher, sector 240 no longer listed; C new; B untouched.
        #expect((r2.rowsRead, r2.inserted, r2.updated, r2.unchanged, r2.rejected) == (3, 1, 1, 1, 0))
        #expect((r2.sitesInserted, r2.sitesUpdated, r2.sectorsRemoved) == (1, 1, 1))
        let sites = try importedSites(store)
        #expect(sites["imported/Telekom/A"]?.sectors.map(\.antennaHeight) == [20, 24])
        #expect(sites["imported/Telekom/B"] != nil && sites["imported/Telekom/C"] != nil)

        // Rolling back the first import conflicts with the second (same site A).
        #expect(throws: ImportError.rollbackConflict(file: store, id: 1, laterImports: [2])) {
            try ImportLedger.rollback(importID: 1, store: store)
        }
        let back = try ImportLedger.rollback(importID: 2, store: store)
        #expect((back.sitesRemoved, back.sitesRestored) == (1, 1))
        #expect(try siteContent(store) == afterFirst)
        #expect(throws: ImportError.alreadyRolledBack(file: store, id: 2)) { try ImportLedger.rollback(importID: 2, store: store) }
        _ = try ImportLedger.rollback(importID: 1, store: store)
        #expect(try siteContent(store) == original)
        #expect(throws: ImportError.noSuchImport(file: store, id: 7)) { try ImportLedger.rollback(importID: 7, store: store) }
        let history = try ImportLedger.history(store: store)
        #expect(history.map(\.status) == ["rolled_back", "rolled_back"])
        #expect(history.allSatisfy { $0.rolledBackAt != nil })
    }

    @Test func aStoreNamedThroughASymbolicLinkStaysALink() throws {
        let folder = TemporaryFolder("litfass-import")
        let store = try freshStore(folder)
        let link = folder.file("link.gpkg").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: store)
        let report = try SiteImporter.importSites(file: Fixture.path("vodafone-sites-bom-crlf.csv"), into: link)
        #expect(report.inserted == 4)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == store)
        #expect(try importedSites(store).count == 2)
        #expect(FileManager.default.fileExists(atPath: store + ".lock"))
    }

    @Test func dryRunWritesNothing() throws {
        let folder = TemporaryFolder("litfass-import")
        let store = try freshStore(folder)
        let before = try sha(store)
        let report = try SiteImporter.importSites(file: Fixture.path("vodafone-sites-bom-crlf.csv"), into: store,
                                                  options: SiteImportOptions(dryRun: true))
        #expect(report.dryRun && report.importID == nil)
        #expect((report.inserted, report.rejected) == (4, 2))
        #expect(try sha(store) == before)
        #expect(try ImportLedger.history(store: store).isEmpty)
    }

    @Test func aHeldLockMakesASecondImportFailClearly() throws {
        let folder = TemporaryFolder("litfass-import")
        let store = try freshStore(folder)
        let fd = open(store + ".lock", O_RDWR | O_CREAT, 0o644)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        _ = "pid 4242, import of other.csv\n".withCString { pwrite(fd, $0, strlen($0), 0) }
        let before = try sha(store)
        do {
            _ = try SiteImporter.importSites(file: Fixture.path("vodafone-sites-bom-crlf.csv"), into: store,
                                             options: SiteImportOptions(lockTimeoutSeconds: 0.3))
            Issue.record("the import should have waited for the lock and failed")
        } catch let error as ImportError {
            guard case .locked(let file, let holder, let waited) = error else { Issue.record("\(error)"); return }
            #expect(file == store && holder == "pid 4242, import of other.csv" && waited >= 0.3)
            #expect(error.description.contains("another import or rollback is running"))
        }
        #expect(try sha(store) == before)
        flock(fd, LOCK_UN)
        let report = try SiteImporter.importSites(file: Fixture.path("vodafone-sites-bom-crlf.csv"), into: store)
        #expect(report.importID == 1)
    }

    @Test func exportThenImportChangesNothing() throws {
        let folder = TemporaryFolder("litfass-import")
        let store = try freshStore(folder)
        for name in ["telekom-standorte-latin1.csv", "vodafone-sites-bom-crlf.csv", "telefonica-sites.geojson", "telekom-kleinzellen.kml"] {
            _ = try SiteImporter.importSites(file: Fixture.path(name), into: store)
        }
        let content = try siteContent(store)
        let sectors = content.filter { $0.site.kind == "imported" }.reduce(0) { $0 + $1.sectors.count }
        #expect(sectors == 5 + 4 + 4 + 2)
        for format in SiteExportFormat.allCases {
            let out = folder.file("export.\(format.rawValue)").path
            #expect(try SiteCatalog.export(store: store, to: out, format: format) == sectors)
            let report = try SiteImporter.importSites(file: out, into: store)
            #expect((report.rowsRead, report.inserted, report.updated, report.unchanged, report.rejected) == (sectors, 0, 0, sectors, 0),
                    "\(format): \(report.rejects.prefix(3))")
            #expect(try siteContent(store) == content, "\(format)")
        }
        // And into a fresh store, the export gives the same imported sites.
        let other = try freshStore(folder, name: "other.gpkg")
        _ = try SiteImporter.importSites(file: folder.file("export.gpkg").path, into: other)
        #expect(try siteContent(other) == content)
    }

    @Test func listShowsImportedSites() throws {
        let folder = TemporaryFolder("litfass-import")
        let store = try freshStore(folder)
        _ = try SiteImporter.importSites(file: Fixture.path("telefonica-sites.geojson"), into: store)
        let listed = try SiteCatalog.sites(store: store)
        #expect(listed.map(\.carrierSiteID) == ["O2-7001", "O2-7002"])
        #expect(listed[0].operatorName == "Telefonica" && listed[0].sectors.count == 3)
        #expect(abs(listed[0].position.lon - 6.6891) < 1e-9 && abs(listed[0].position.lat - 51.2041) < 1e-9)
        let all = try SiteCatalog.sites(store: store, includeAll: true)
        #expect(all.count > listed.count)
        #expect(all.contains { $0.site.kind == .rooftopMast })
    }
}
