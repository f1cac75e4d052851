import Foundation
import LitfassGeo
@testable import LitfassImport
import Testing
import _LitfassTestSupport

/// Formula cells in CSV outputs, wide history columns, and their own messages for a folder given
/// as the store and a read-only store.
struct ImportSmallFixesTests {
    @Test func csvCellsThatSpreadsheetsTakeForFormulasAreNeutralised() {
        #expect(CSVCell.neutralised("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")")
        #expect(CSVCell.neutralised("+49 211") == "'+49 211")
        #expect(CSVCell.neutralised("-cmd") == "'-cmd")
        #expect(CSVCell.neutralised("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVCell.neutralised("-12.5") == "-12.5")
        #expect(CSVCell.neutralised("Neuss Hbf") == "Neuss Hbf")
        #expect(CSVCell.field("=1+2,3") == "\"'=1+2,3\"")
        #expect(RejectsFile.csv([RejectedValue(row: 1, line: 2, field: "site", value: "=cmd|' /C calc'!A0", reason: "x")])
            .contains("'=cmd"))
    }

    @Test func sitesExportCSVNeutralisesFormulaNames() throws {
        let folder = TemporaryFolder("litfass-small")
        let list = folder.file("sites.csv").path
        try """
        site_id,operator,lon,lat,height_m,azimuth,band,eirp_dbm,name
        F1,Vodafone,6.6930,51.2000,30,120,B20,58,"=HYPERLINK(""http://evil"")"
        """.write(toFile: list, atomically: true, encoding: .utf8)
        let store = try freshStore(folder)
        _ = try SiteImporter.importSites(file: list, into: store)
        let out = folder.file("export.csv").path
        _ = try SiteCatalog.export(store: store, to: out, format: .csv, operatorName: nil)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.contains("'=HYPERLINK"), "\(text)")
        #expect(!text.contains(",=HYPERLINK") && !text.contains(",\"=HYPERLINK"), "\(text)")
    }

    @Test func csvCellsRestoredAreExactlyTheNeutralisedOnes() {
        for text in ["=HYPERLINK(\"x\")", "+49 211", "-cmd", "@SUM(A1)", "\tx", "=", "Neuss", "-12.5", "'quoted'", ""] {
            #expect(CSVCell.restored(CSVCell.neutralised(text)) == text, "\(text)")
        }
        #expect(CSVCell.restored("'12") == "'12")
        #expect(CSVCell.restored("'-12.5") == "'-12.5")
        #expect(CSVCell.restored("'Neuss") == "'Neuss")
        #expect(CSVCell.restored("''=x") == "''=x")
    }

    /// Export a site whose id and name a spreadsheet would run, import the export: nothing changes,
    /// the id is the original one (not "'=S1"), and into a fresh copy the same sites come back.
    @Test func aNeutralisedExportReimportsUnchanged() throws {
        let folder = TemporaryFolder("litfass-small")
        let list = folder.file("sites.csv").path
        try """
        site_id,operator,lon,lat,height_m,azimuth,band,eirp_dbm,name
        =S1,Vodafone,6.6930,51.2000,30,120,B20,58,"=HYPERLINK(""http://evil"")"
        -S2,Vodafone,6.6940,51.2010,25,0,B3,60,@name
        """.write(toFile: list, atomically: true, encoding: .utf8)
        let store = try freshStore(folder)
        let first = try SiteImporter.importSites(file: list, into: store)
        #expect(first.inserted == 2 && first.rejected == 0)
        let sites = try importedSites(store)
        #expect(sites.keys.sorted() == ["imported/Vodafone/-S2", "imported/Vodafone/=S1"])
        let out = folder.file("export.csv").path
        _ = try SiteCatalog.export(store: store, to: out, format: .csv, operatorName: nil)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.contains("'=S1") && text.contains("'-S2") && text.contains("'@name"), "\(text)")
        let again = try SiteImporter.importSites(file: out, into: store)
        #expect(again.unchanged == 2 && again.inserted == 0 && again.updated == 0 && again.rejected == 0)
        #expect(try importedSites(store) == sites)
        #expect(sites["imported/Vodafone/-S2"]?.site.name == "@name")
    }

    @Test func historyColumnsStayApartForLargeCounts() throws {
        let folder = TemporaryFolder("litfass-small")
        let store = try freshStore(folder)
        let big = 123_456_789
        let record = ImportLedger.NewRecord(file: "big.csv", checksum: String(repeating: "a", count: 64), driver: "CSV", layer: "big",
                                            operators: "Vodafone", rowsRead: big, inserted: big, updated: big, unchanged: big, rejected: big,
                                            sitesInserted: 0, sitesUpdated: 0, sectorsRemoved: 0, options: "{}")
        let lock = try ImportError.lock(store: store, timeout: 5, purpose: "test")
        _ = try ImportLedger.apply(ImportPlan(rows: [], stored: [:]), record: record, store: store)
        withExtendedLifetime(lock) {}
        let r = try runProcess(TestPaths.litfassExecutable, ["sites", "history", "--scenario", store])
        #expect(r.status == 0, "\(r.stderr)")
        let line = try #require(r.stdout.split(separator: "\n").last)
        #expect(line.components(separatedBy: "123456789").count == 6, "\(line)")
        #expect(!line.contains("123456789123456789"), "\(line)")
        #expect(line.contains("123456789  123456789"), "\(line)")
    }

    @Test func aFolderOrAReadOnlyStoreGetsItsOwnMessage() throws {
        let folder = TemporaryFolder("litfass-small")
        let list = Fixture.path("vodafone-sites-bom-crlf.csv")
        let r1 = try runProcess(TestPaths.litfassExecutable, ["import", "sites", list, "--scenario", folder.url.path])
        #expect(r1.status == 1 && r1.stderr.contains("is a directory"), "\(r1.stderr)")
        let r2 = try runProcess(TestPaths.litfassExecutable, ["sites", "list", "--scenario", folder.url.path])
        #expect(r2.status == 1 && r2.stderr.contains("is a directory"), "\(r2.stderr)")
        let r3 = try runProcess(TestPaths.litfassExecutable, ["import", "sites", folder.url.path, "--scenario", folder.file("x.gpkg").path, "--dry-run"])
        #expect(r3.status == 1 && r3.stderr.contains("is a directory"), "\(r3.stderr)")
        let store = try freshStore(folder)
        #expect(chmod(store, 0o444) == 0)
        let before = try sha(store)
        let r4 = try runProcess(TestPaths.litfassExecutable, ["import", "sites", list, "--scenario", store])
        #expect(r4.status == 1 && r4.stderr.contains("the store is read-only"), "\(r4.stderr)")
        #expect(try sha(store) == before)
        _ = chmod(store, 0o644)
    }
}
