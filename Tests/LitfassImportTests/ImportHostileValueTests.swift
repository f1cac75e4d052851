import Foundation
import LitfassGeo
@testable import LitfassImport
import LitfassScenario
import Testing
import _LitfassTestSupport

/// Values that look like numbers to `Double(_:)` but are none in a site list.
struct ImportHostileValueTests {
    @Test(arguments: ["nan", "NaN", "0x1p6", "inf", "-infinity", "0x78"])
    func nanAndHexAzimuthsAreRejectedNotOmni(value: String) throws {
        let folder = TemporaryFolder("litfass-import-values")
        let path = folder.file("sites.csv").path
        try """
        site_id,operator,lon,lat,height_m,azimuth,band,eirp_dbm
        H1,Vodafone,6.6930,51.2000,30,120,B20,58
        H2,Vodafone,6.6940,51.2010,30,\(value),B20,58
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let store = try freshStore(folder)
        let report = try SiteImporter.importSites(file: path, into: store, options: SiteImportOptions(dryRun: true))
        #expect(report.rejected == 1, "\(value): \(report.rejects)")
        let reject = try #require(report.rejects.first)
        #expect(reject.row == 2 && reject.field.lowercased().contains("azimuth"), "\(reject)")
        #expect(!reject.reason.contains("\n"))
    }

    @Test func numberReaderTakesDecimalsOnly() {
        #expect(NumberReader.parse(text: "nan") == .invalid)
        #expect(NumberReader.parse(text: "0x1p6") == .invalid)
        #expect(NumberReader.parse(text: "1e400") == .invalid)
        #expect(NumberReader.parse(text: "n/a") == .missing)
        #expect(NumberReader.parse(text: "1.5e3") == .value(1500, nil))
        #expect(NumberReader.parse(text: "25 m") == .value(25, .metre))
        #expect(NumberReader.parse(.real(.nan)) == .invalid)
    }
}
