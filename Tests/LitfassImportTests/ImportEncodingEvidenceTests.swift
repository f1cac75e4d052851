import Foundation
@testable import LitfassImport
import Testing
import _LitfassTestSupport

/// A stray byte in a UTF-8 file: only its row is rejected; the good rows keep their text.
struct ImportEncodingEvidenceTests {
    @Test func oneStrayByteRejectsItsRowAndLeavesUTF8RowsAlone() throws {
        let folder = TemporaryFolder("litfass-import-encoding")
        let path = folder.file("sites.csv").path
        var bytes = Array("site_id,operator,lon,lat,height_m,azimuth,band,eirp_dbm\nSüd1,Vodafone,6.6930,51.2000,30,120,B20,58\nNord".utf8)
        bytes.append(0xFC)   // a Windows-1252 "ü" in a UTF-8 file
        bytes += Array("2,Vodafone,6.6940,51.2010,30,120,B20,58\nWest,Vodafone,6.6950,51.2020,30,240,B20,58\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let store = try freshStore(folder)
        let report = try SiteImporter.importSites(file: path, into: store)
        #expect(report.rejected == 1, "\(report.rejects)")
        #expect(report.rejects.first?.row == 2 && report.rejects.first?.reason.contains("not UTF-8") == true, "\(report.rejects)")
        let ids = try importedSites(store).keys.sorted()
        #expect(ids.contains { $0.hasSuffix("/Süd1") }, "\(ids)")
        #expect(!ids.contains { $0.contains("Ã") }, "\(ids)")
        #expect(report.notes.first?.contains("line 3") == true, "\(report.notes)")
    }

    @Test func aWholeWindows1252FileIsStillConverted() throws {
        let folder = TemporaryFolder("litfass-import-encoding")
        let path = folder.file("sites.csv").path
        var bytes = Array("site_id,operator,lon,lat,height_m,azimuth,band,eirp_dbm\nS".utf8)
        bytes.append(0xFC)
        bytes += Array("d1,Vodafone,6.6930,51.2000,30,120,B20,58\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let report = try SiteImporter.importSites(file: path, into: try freshStore(folder), options: SiteImportOptions(dryRun: true))
        #expect(report.rejected == 0 && report.notes.first?.contains("Windows-1252") == true, "\(report.notes) \(report.rejects)")
    }

    @Test func mixedEncodingsWithoutAMajorityAreAnError() throws {
        let folder = TemporaryFolder("litfass-import-encoding")
        let path = folder.file("sites.csv").path
        var bytes = Array("site_id,operator,lon,lat,height_m,azimuth,band,eirp_dbm\nSü,Vodafone,6.6930,51.2000,30,120,B20,58\nS".utf8)
        bytes += [0xFC, 0xFC, 0xE4, 0xF6, 0xDF]   // five Windows-1252 letters against one UTF-8 "ü"
        bytes += Array(",Vodafone,6.6940,51.2010,30,120,B20,58\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(throws: ImportError.self) { try SiteImporter.importSites(file: path, into: try freshStore(folder), options: SiteImportOptions(dryRun: true)) }
    }
}
