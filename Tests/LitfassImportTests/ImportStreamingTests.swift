import Foundation
import LitfassGeo
@testable import LitfassImport
import LitfassScenario
import Testing
import _LitfassTestSupport

/// GeoJSON rows are checked while GDAL parses (`StreamingValidation`): the result must be the one
/// `RowValidator.validate()` gives after the read, row for row, fault for fault.
@Suite(.serialized)
struct ImportStreamingTests {
    /// A GeoJSON of `features` sectors in the Neuss area; every 997th row has a height of 450 m,
    /// every 1009th an unknown band, every 1013th no geometry, every 4999th no tilt or EIRP.
    private func geoJSON(_ path: String, features: Int) throws {
        var text = "{\"type\": \"FeatureCollection\", \"crs\": {\"type\": \"name\", \"properties\": {\"name\": \"urn:ogc:def:crs:OGC:1.3:CRS84\"}},\n\"features\": [\n"
        for i in 0..<features {
            let site = i / 3
            let lon = 6.675 + Double(site % 150) * 0.0001, lat = 51.19 + Double(site / 150) * 0.0001
            let height = i % 997 == 5 ? 450 : 20 + site % 20
            let band = i % 1009 == 7 ? "X9" : ["B20", "B3", "n78"][i % 3]
            let extra = i % 4999 == 11 ? "" : ", \"downtilt\": 6, \"eirp_dbm\": 58"
            let geometry = i % 1013 == 13 ? "null" : "{\"type\": \"Point\", \"coordinates\": [\(String(format: "%.6f", lon)), \(String(format: "%.6f", lat))]}"
            text += (i == 0 ? "" : ",\n") + "{\"type\": \"Feature\", \"properties\": {\"site\": \"S\(site)\", \"sector\": \"\(i % 3 + 1)\", "
                + "\"antenna_height\": \(height), \"azimuth\": \((i % 3) * 120), \"band\": \"\(band)\"\(extra), \"operator\": \"Vodafone\"}, "
                + "\"geometry\": \(geometry)}"
        }
        text += "\n]}\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    @Test func checkingWhileReadingGivesWhatCheckingAfterwardsGives() throws {
        let folder = TemporaryFolder("litfass-import-streaming")
        let path = folder.file("sites.geojson").path
        let count = StreamingValidation.runLength + 7_000   // two runs and a rest
        try geoJSON(path, features: count)
        let scenario = try ScenarioStore.load(path: defaultStore)
        let context = ValidationContext(area: SiteImporter.area(of: scenario), assumptions: scenario.assumptions)
        var streaming: StreamingValidation?
        var batches = 0
        let table = try SourceReader.read(path: path, layer: nil) { header, driver, crs in
            let mapping = try! ColumnMapping.resolve(header: header, overrides: [:], file: path)
            return { rows in
                batches += 1
                if streaming == nil {
                    streaming = StreamingValidation.start(file: path, header: header, driver: driver, layerCRS: crs, first: rows,
                                                          mapping: mapping, operatorOverride: nil, crsOverride: nil, context: context)
                }
                streaming?.add(rows)
            }
        }
        #expect(table.driver == "GeoJSON" && table.rows.count == count)
        #expect(batches > 10, "GDAL's features arrive in runs while it parses")
        let during = try #require(streaming).result()
        let mapping = try ColumnMapping.resolve(header: table.header, overrides: [:], file: path)
        let after = try RowValidator(table: table, mapping: mapping, operatorOverride: nil, crsOverride: nil, context: context).validate()

        #expect(during.rows.count == after.rows.count && during.rejectedRows == after.rejectedRows)
        #expect(during.rows.count + during.rejectedRows == count)
        #expect(during.rejectedRows > 60)
        for (a, b) in zip(during.rows, after.rows) {
            #expect(a.number == b.number && a.siteID == b.siteID && a.sectorPart == b.sectorPart && a.location == b.location
                && a.band.name == b.band.name && a.eirpDBm == b.eirpDBm && a.tilt == b.tilt && a.antennaHeight == b.antennaHeight)
        }
        #expect(during.rejects.map { "\($0.row)|\($0.field)|\($0.value)|\($0.reason)" } == after.rejects.map { "\($0.row)|\($0.field)|\($0.value)|\($0.reason)" })
        #expect(during.warnings.map { "\($0.row)|\($0.message)" } == after.warnings.map { "\($0.row)|\($0.message)" })
        #expect(during.sourceCRS == after.sourceCRS && during.notes == after.notes)
        #expect(during.rejects.contains { $0.field == "height" && $0.value == "450" })
        #expect(during.rejects.contains { $0.field == "geometry" && $0.reason == "missing geometry" })

        // The whole import: every row accounted for.
        let store = try freshStore(folder)
        let report = try SiteImporter.importSites(file: path, into: store)
        #expect(report.rowsRead == count && report.rowsRead == report.inserted + report.updated + report.unchanged + report.rejected)
        #expect(report.rejected == after.rejectedRows)
    }
}
