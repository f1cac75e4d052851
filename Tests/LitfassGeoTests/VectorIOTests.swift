import Foundation
import Testing
import LitfassGeo
import _LitfassTestSupport

/// OGR reading and writing: every vector format Litfass writes reads back unchanged.
struct VectorIOTests {
    let polygon = Polygon(exterior: [MapPoint(x: 333_000, y: 5_672_000), MapPoint(x: 333_010, y: 5_672_000),
                                     MapPoint(x: 333_010, y: 5_672_020), MapPoint(x: 333_000, y: 5_672_000)])

    @Test(arguments: ["gpkg", "geojson", "shp", "gml", "kml"])
    func roundTripKeepsGeometryAndAttributes(ext: String) throws {
        let folder = TemporaryFolder()
        let path = folder.file("test.\(ext)").path
        // KML is always WGS84: write it in lon/lat.
        let crs: CRS = ext == "kml" ? .wgs84 : .utm32N
        let shape: Polygon = ext == "kml"
            ? Polygon(exterior: [MapPoint(x: 6.68, y: 51.19), MapPoint(x: 6.69, y: 51.19), MapPoint(x: 6.69, y: 51.2), MapPoint(x: 6.68, y: 51.19)])
            : polygon
        do {
            let writer = try VectorWriter(path: path)
            try writer.createLayer("buildings", geometry: .polygon, crs: crs, fields: [.init("name", .string), .init("height", .real), .init("levels", .integer)])
            try writer.transaction {
                try writer.write(layer: "buildings", features: [(.polygon(shape), [.string("Quirinus-Münster"), .real(12.5), .integer(3)])])
            }
            writer.close()
        }
        let dataset = try VectorDataset(path: path)
        let layer = dataset.layerNames[0]
        let features = try dataset.features(layer: layer)
        #expect(features.count == 1)
        // KML keeps the name in <name>, which GDAL reads back as "Name".
        #expect((features[0]["name"] ?? features[0]["Name"])?.text == "Quirinus-Münster")
        #expect(features[0]["height"]?.number == 12.5)
        #expect(features[0]["levels"]?.number == 3)
        let points = features[0].geometry?.polygons.first?.exterior ?? []
        #expect(points.count == 4)
        // Shapefiles store exterior rings clockwise: compare the vertices, not their order.
        let key = { (p: MapPoint) in [(p.x * 1e6).rounded(), (p.y * 1e6).rounded()] }
        #expect(Set(points.map(key)) == Set(shape.exterior.map(key)))
        if ext != "kml" && ext != "gml" { #expect(try dataset.info(layer: layer).crs == crs) }
    }

    @Test func csvWithCoordinateColumnsReadsAsPoints() throws {
        let folder = TemporaryFolder()
        let path = folder.file("sites.csv").path
        try "id;lon;lat;height\nA;6,679932;51,192364;4,5\n".write(toFile: path, atomically: true, encoding: .utf8)
        let dataset = try VectorDataset(path: path, openOptions: ["X_POSSIBLE_NAMES=lon", "Y_POSSIBLE_NAMES=lat", "SEPARATOR=SEMICOLON"])
        let features = try dataset.features(layer: dataset.layerNames[0])
        #expect(features.count == 1)
        #expect(features[0]["id"]?.text == "A")
    }

    @Test func osmExtractReadsInOnePass() throws {
        let dataset = try VectorDataset(path: TestPaths.data.appendingPathComponent("neuss-s11.osm.pbf").path, drivers: ["OSM"])
        #expect(dataset.driverName == "OSM")
        var columns = 0
        try dataset.forEachFeature(layers: ["points"]) { _, feature in
            if feature["other_tags"]?.text?.contains("\"advertising\"=>\"column\"") == true { columns += 1 }
        }
        #expect(columns == 14)
    }

    @Test func missingFileAndNonVectorFileAreTypedErrorsNamingTheFile() throws {
        #expect { try VectorDataset(path: "/nonexistent/x.gpkg") } throws: { error in
            "\(error)".contains("/nonexistent/x.gpkg") && "\(error)".contains("no such file")
        }
        let folder = TemporaryFolder()
        let path = folder.file("noise.bin").path
        try Data((0..<512).map { UInt8(truncatingIfNeeded: $0 &* 37) }).write(to: URL(fileURLWithPath: path))
        #expect { try VectorDataset(path: path) } throws: { error in "\(error)".contains(path) }
    }

    @Test func truncatedOSMFileIsAReadErrorNotAShortRead() throws {
        let folder = TemporaryFolder()
        let path = folder.file("truncated.osm.pbf").path
        let bytes = try Data(contentsOf: TestPaths.data.appendingPathComponent("neuss-s11.osm.pbf"))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        let dataset = try VectorDataset(path: path, drivers: ["OSM"])
        #expect(throws: GeoError.self) { try dataset.forEachFeature { _, _ in } }
    }
}
