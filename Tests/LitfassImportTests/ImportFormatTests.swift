import Foundation
import LitfassGeo
@testable import LitfassImport
import LitfassScenario
import Testing
import _LitfassTestSupport

/// One real-shaped file per format, every kind of bad row, and what lands in the store.
struct ImportFormatTests {
    @Test func germanSemicolonLatin1CSVWithEveryKindOfBadRow() throws {
        let folder = TemporaryFolder("litfass-import")
        let store = try freshStore(folder)
        let report = try SiteImporter.importSites(file: Fixture.path("telekom-standorte-latin1.csv"), into: store)
        #expect(report.rowsRead == 18)
        #expect(report.inserted == 5)
        #expect(report.updated == 0 && report.unchanged == 0)
        #expect(report.rejected == 13)
        #expect(report.balances)
        #expect(report.sitesInserted == 3)
        #expect(report.importID == 1)
        #expect(report.notes.contains { $0.contains("Windows-1252") })
        #expect(report.columns.contains("height ← Antennenhöhe [m]"))

        // Each bad row: the field and the reason, with the row and line.
        func reason(_ row: Int, _ field: String) -> String? { report.rejects.first { $0.row == row && $0.field == field }?.reason }
        #expect(reason(5, "height") == "antenna height 450 m is outside 0–300 m")
        #expect(reason(6, "azimuth") == "azimuth 400° is outside 0–360°")
        #expect(reason(7, "tilt") == "tilt 95° is outside ±90°")
        #expect(reason(8, "band")?.hasPrefix("unknown band") == true)
        #expect(reason(9, "lon/lat")?.contains("look swapped") == true)
        #expect(reason(10, "lon") == "missing coordinate")
        #expect(reason(10, "lat") == "missing coordinate")
        #expect(reason(12, "height") == "not a number")
        #expect(reason(13, "sector") == "duplicate of row 4")
        #expect(reason(14, "row") == "6 cells, the header has 11 (ragged row)")
        #expect(reason(15, "eirp") == "a power in watts must be positive")
        #expect(reason(16, "lon/lat") == "0/0 is a placeholder, not a position")
        #expect(reason(17, "technology") == "GSM is not modelled (LTE and NR only)")
        #expect(reason(18, "site")?.contains("1314 m away") == true)
        #expect(report.rejects.first { $0.row == 5 }?.line == 6)
        #expect(Set(report.rejects.map(\.row)).count == 13)
        // Outside the scenario area: a warning, and the row goes in.
        #expect(report.warnings.first { $0.message.contains("outside the scenario area") }?.rows == [11])

        // The store: grouped into sites with sectors, in Litfass units.
        let sites = try importedSites(store)
        #expect(sites.keys.sorted() == ["imported/Telekom/NE001", "imported/Telekom/NE002", "imported/Telekom/NE009"])
        let ne001 = try #require(sites["imported/Telekom/NE001"])
        let expected = try utm(6.6912, 51.1983)
        #expect(abs(ne001.site.x - expected.x) < 1e-6 && abs(ne001.site.y - expected.y) < 1e-6)
        #expect(ne001.site.name == "Neuss Hbf Süd")
        #expect(ne001.site.structureHeight == 28)
        #expect(ne001.sectors.map(\.id) == ["imported/Telekom/NE001/0/B20", "imported/Telekom/NE001/120/B20", "imported/Telekom/NE001/240/n78"])
        let b20 = ne001.sectors[1]
        #expect(b20.azimuth == 120 && b20.downtilt == 4 && b20.antennaHeight == 25.5)
        #expect(abs(b20.eirpDBm - dBm(watts: 200)) < 1e-9)
        #expect(b20.frequencyHz == 806e6 && b20.bandwidthHz == 10e6)
        #expect(b20.pattern == "3gpp-sector" && !b20.assumption && b20.operatorName == "Telekom")
        let n78 = ne001.sectors[2]
        #expect(n78.eirpDBm == 60 && n78.frequencyHz == 3600e6 && n78.bandwidthHz == 90e6)

        // What the coverage and query commands read: ScenarioStore.load.
        let scenario = try ScenarioStore.load(path: store)
        #expect(scenario.sites.filter { $0.kind == .imported }.count == 3)
        #expect(scenario.sectors.filter { $0.siteID.hasPrefix("imported/") && !$0.isAssumption }.count == 5)
    }

    @Test func utf8CSVWithBOMAndCRLFAndQuotedCommas() throws {
        let folder = TemporaryFolder("litfass-import")
        let store = try freshStore(folder)
        let report = try SiteImporter.importSites(file: Fixture.path("vodafone-sites-bom-crlf.csv"), into: store)
        #expect((report.rowsRead, report.inserted, report.rejected) == (6, 4, 2))
        #expect(report.notes.isEmpty)
        #expect(report.columns.hasPrefix("site ← site_id,"))
        #expect(report.rejects.map(\.row) == [5, 6])
        #expect(report.rejects[0].reason == "n78 is NR, not LTE")
        #expect(report.rejects[1].reason.hasPrefix("2345 MHz is in no known band"))
        #expect(report.rejects[1].line == 7)
        let sites = try importedSites(store)
        let vf100 = try #require(sites["imported/Vodafone/VF-100"])
        #expect(vf100.site.name == "Neuss, Markt")
        #expect(vf100.sectors.map(\.id) == ["imported/Vodafone/VF-100/A/B20", "imported/Vodafone/VF-100/A/n78", "imported/Vodafone/VF-100/B/B20"])
        #expect(vf100.sectors[1].frequencyHz == 3600e6 && vf100.sectors[1].eirpDBm == 72 && vf100.sectors[1].antennaHeight == 33)
        let vf101 = try #require(sites["imported/Vodafone/VF-101"]?.sectors.first)
        #expect(vf101.band == "B3" && vf101.frequencyHz == 1842.5e6 && vf101.pattern == "omni" && vf101.id.hasSuffix("/A/B3"))
    }

    @Test func geoJSONWithNullAndPolygonGeometries() throws {
        let folder = TemporaryFolder("litfass-import")
        let store = try freshStore(folder)
        let report = try SiteImporter.importSites(file: Fixture.path("telefonica-sites.geojson"), into: store)
        #expect((report.rowsRead, report.inserted, report.rejected) == (7, 4, 3))
        #expect(report.driver == "GeoJSON" && report.sourceCRS == .wgs84)
        #expect(report.rejects.map { "\($0.row) \($0.field) \($0.reason)" } == [
            "5 geometry missing geometry", "6 eirp EIRP 95 dBm is outside 0–90 dBm", "7 geometry not a point"])
        let sites = try importedSites(store)
        // "Telefónica Germany" is the scenario's operator "Telefonica".
        #expect(sites.keys.sorted() == ["imported/Telefonica/O2-7001", "imported/Telefonica/O2-7002"])
        #expect(sites["imported/Telefonica/O2-7001"]?.sectors.map(\.id) == [
            "imported/Telefonica/O2-7001/1/B20", "imported/Telefonica/O2-7001/2/B20", "imported/Telefonica/O2-7001/3/n78"])
        #expect(sites["imported/Telefonica/O2-7002"]?.sectors.first?.pattern == "omni")
    }

    @Test func kmlWithGermanExtendedData() throws {
        let folder = TemporaryFolder("litfass-import")
        let store = try freshStore(folder)
        let report = try SiteImporter.importSites(file: Fixture.path("telekom-kleinzellen.kml"), into: store)
        #expect((report.rowsRead, report.inserted, report.rejected) == (3, 2, 1))
        #expect(report.rejects.first?.reason == "antenna height -3 m is outside 0–300 m")
        #expect(report.warnings.first?.count == 2)  // no tilt given, rows 1 and 2 only
        let sector = try #require(try importedSites(store)["imported/Telekom/KZ-01"]?.sectors.first)
        #expect(sector.band == "n78" && sector.frequencyHz == 3650e6 && sector.antennaHeight == 4.5 && sector.eirpDBm == 43)
        #expect(sector.downtilt == 6)  // the scenario's assumed macro downtilt
    }

    /// A GeoPackage, a Shapefile and a KMZ written here through `VectorWriter`.
    @Test func geoPackageShapefileAndKMZWrittenByVectorWriter() throws {
        let folder = TemporaryFolder("litfass-import")
        let fields: [FieldDefinition] = [.init("standort", .string), .init("betreiber", .string), .init("hoehe", .real),
                                         .init("azimut", .real), .init("neigung", .real), .init("band", .string), .init("eirp_w", .real)]
        let p1 = try utm(6.6900, 51.2000), p2 = try utm(6.6950, 51.2030)
        let rows: [(geometry: Geometry?, values: [FieldValue])] = [
            (.point(p1), [.string("GP-1"), .string("Vodafone"), .real(30), .real(0), .real(3), .string("B20"), .real(100)]),
            (.point(p1), [.string("GP-1"), .string("Vodafone"), .real(30), .real(180), .real(3), .string("B20"), .real(100)]),
            (.point(p2), [.string("GP-2"), .string("Vodafone"), .real(310), .real(90), .real(3), .string("B3"), .real(100)]),
        ]
        // GeoPackage with two layers in EPSG:25832.
        let gpkg = folder.file("vodafone.gpkg").path
        let writer = try VectorWriter(path: gpkg)
        try writer.createLayer("standorte", geometry: .point, crs: .utm32N, fields: fields)
        try writer.write(layer: "standorte", features: rows)
        try writer.createLayer("notizen", geometry: .point, crs: .utm32N, fields: [.init("text", .string)])
        try writer.write(layer: "notizen", features: [(.point(p1), [.string("x")])])
        writer.close()
        let store = try freshStore(folder)
        #expect(throws: ImportError.layer(file: gpkg, requested: nil, available: ["standorte", "notizen"])) {
            try SiteImporter.importSites(file: gpkg, into: store)
        }
        let report = try SiteImporter.importSites(file: gpkg, into: store, options: SiteImportOptions(layer: "standorte"))
        #expect((report.rowsRead, report.inserted, report.rejected) == (3, 2, 1))
        #expect(report.sourceCRS == .utm32N)
        #expect(report.rejects.first?.reason == "antenna height 310 m is outside 0–300 m")
        let gp1 = try #require(try importedSites(store)["imported/Vodafone/GP-1"])
        #expect(gp1.site.x == p1.x && gp1.site.y == p1.y)
        #expect(abs(gp1.sectors[0].eirpDBm - 50) < 1e-9)

        // Shapefile in WGS84 (with .prj), operator from --operator.
        let shp = folder.file("sites.shp").path
        let shapeWriter = try VectorWriter(path: shp)
        try shapeWriter.createLayer("sites", geometry: .point, crs: .wgs84, fields: fields)
        try shapeWriter.write(layer: "sites", features: [
            (.point(MapPoint(x: 6.6880, y: 51.1990)), [.string("SH-1"), .null, .real(22), .real(45), .real(2), .string("n78"), .real(200)]),
            (.point(MapPoint(x: 51.1990, y: 6.6880)), [.string("SH-2"), .null, .real(22), .real(45), .real(2), .string("n78"), .real(200)]),
        ])
        shapeWriter.close()
        let shapeReport = try SiteImporter.importSites(file: shp, into: store, options: SiteImportOptions(operatorName: "Telekom"))
        #expect(shapeReport.driver == "ESRI Shapefile")
        #expect((shapeReport.rowsRead, shapeReport.inserted, shapeReport.rejected) == (2, 1, 1))
        #expect(shapeReport.rejects.first?.reason.contains("look swapped") == true)
        #expect(try importedSites(store)["imported/Telekom/SH-1"]?.sectors.first?.band == "n78")

        // KMZ through GDAL's LIBKML driver.
        let kmz = folder.file("sites.kmz").path
        let kmzWriter = try VectorWriter(path: kmz, driver: "LIBKML")
        try kmzWriter.createLayer("sites", geometry: .point, crs: .wgs84, fields: fields)
        try kmzWriter.write(layer: "sites", features: [
            (.point(MapPoint(x: 6.6910, y: 51.2010)), [.string("KZ-9"), .string("Telekom"), .real(8), .null, .real(0), .string("n78"), .real(20)]),
        ])
        kmzWriter.close()
        let kmzReport = try SiteImporter.importSites(file: kmz, into: store)
        #expect((kmzReport.rowsRead, kmzReport.inserted, kmzReport.rejected) == (1, 1, 0))
        #expect(try importedSites(store)["imported/Telekom/KZ-9"]?.sectors.first?.pattern == "omni")
        #expect(try ImportLedger.history(store: store).map(\.id) == [1, 2, 3])
    }

    @Test func projectedCoordinatesWithZonePrefixAndWKT() throws {
        let folder = TemporaryFolder("litfass-import")
        let store = try freshStore(folder)
        let p = try utm(6.6900, 51.2000)
        let csv = folder.file("utm.csv").path
        try """
        Mast;Rechtswert;Hochwert;H;Azimut;Band;EIRP;Betreiber
        U1;32\(String(format: "%.2f", p.x).replacingOccurrences(of: ".", with: ","));\(String(format: "%.2f", p.y).replacingOccurrences(of: ".", with: ","));20;10;B3;55;Telekom
        U2;\(String(format: "%.2f", p.y));\(String(format: "%.2f", p.x));20;10;B3;55;Telekom

        """.write(toFile: csv, atomically: true, encoding: .utf8)
        let report = try SiteImporter.importSites(file: csv, into: store, options: SiteImportOptions(crs: .utm32N))
        #expect((report.rowsRead, report.inserted, report.rejected) == (2, 1, 1))
        #expect(report.rejects.first?.reason == "x and y look swapped: exchanged, the site lies in the scenario area")
        let u1 = try #require(try importedSites(store)["imported/Telekom/U1"])
        #expect(abs(u1.site.x - p.x) < 0.01 && abs(u1.site.y - p.y) < 0.01)

        let wkt = folder.file("wkt.csv").path
        try """
        site_id,operator,WKT,height,azimuth,band,eirp
        W1,Vodafone,POINT (6.69 51.2),25,0,B20,58
        W2,Vodafone,LINESTRING (6.69 51.2 6.7 51.21),25,0,B20,58

        """.write(toFile: wkt, atomically: true, encoding: .utf8)
        let wktReport = try SiteImporter.importSites(file: wkt, into: store)
        #expect((wktReport.rowsRead, wktReport.inserted, wktReport.rejected) == (2, 1, 1))
        #expect(wktReport.rejects.first?.field == "wkt")
        let w1 = try #require(try importedSites(store)["imported/Vodafone/W1"])
        #expect(abs(w1.site.x - p.x) < 1e-6)
    }

    @Test func mapOverridesTheRecognisedColumns() throws {
        let folder = TemporaryFolder("litfass-import")
        let store = try freshStore(folder)
        let csv = folder.file("odd.csv").path
        try """
        Kennung;Ort X;Ort Y;Aufbau;Winkel;Kanal;Strahlung
        K1;6,69;51,2;12;270;LTE1800;57

        """.write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(throws: ImportError.self) { try SiteImporter.importSites(file: csv, into: store, options: SiteImportOptions(operatorName: "Telekom")) }
        let options = SiteImportOptions(operatorName: "Telekom", columnMap: [
            .site: "Kennung", .lon: "Ort X", .lat: "Ort Y", .height: "Aufbau", .azimuth: "Winkel", .band: "Kanal", .eirp: "Strahlung"])
        let report = try SiteImporter.importSites(file: csv, into: store, options: options)
        #expect((report.rowsRead, report.inserted) == (1, 1))
        let sector = try #require(try importedSites(store)["imported/Telekom/K1"]?.sectors.first)
        #expect(sector.band == "B3" && sector.azimuth == 270 && sector.antennaHeight == 12)
        #expect(throws: ImportError.unknownColumn(file: csv, column: "Nix", field: "site", columns: ["Kennung", "Ort X", "Ort Y", "Aufbau", "Winkel", "Kanal", "Strahlung"])) {
            try SiteImporter.importSites(file: csv, into: store, options: SiteImportOptions(columnMap: [.site: "Nix"]))
        }
    }
}
