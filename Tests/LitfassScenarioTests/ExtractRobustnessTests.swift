import Foundation
import Testing
import LitfassGeo
@testable import LitfassScenario
import _LitfassTestSupport

/// Real extracts hold broken areas (a way cut by the extract's edge, an outline that crosses itself); the build takes
/// what encloses an area, repairs what crosses itself, names both in its warnings, and never stops on them.
struct ExtractRobustnessTests {
    /// An OSM XML file near the Neuss example column: a plain square building with an address node in it, a "bow tie"
    /// building whose outline crosses itself (with an address node in one of its halves), and a closed way of two
    /// distinct nodes tagged as a building (no area).
    static func brokenExtract(in folder: TemporaryFolder) throws -> URL {
        let lat0 = 51.1920, lon0 = 6.6790, d = 0.0002
        func node(_ id: Int, _ lat: Double, _ lon: Double, tags: String = "") -> String {
            "  <node id=\"\(id)\" version=\"1\" lat=\"\(lat)\" lon=\"\(lon)\">\(tags)</node>\n"
        }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<osm version=\"0.6\" generator=\"litfass-test\">\n"
        // Square 1-2-3-4.
        xml += node(1, lat0, lon0) + node(2, lat0, lon0 + d) + node(3, lat0 + d, lon0 + d) + node(4, lat0 + d, lon0)
        // Bow tie 11-12-13-14: 11 → 12 → 13 → 14 crosses itself in the middle.
        let lon1 = lon0 + 5 * d
        xml += node(11, lat0, lon1) + node(12, lat0 + d, lon1 + d) + node(13, lat0, lon1 + d) + node(14, lat0 + d, lon1)
        // Two nodes, closed way 21-22-21.
        xml += node(21, lat0 + 5 * d, lon0) + node(22, lat0 + 5 * d, lon0 + d)
        let addr = { (n: String) in "<tag k=\"addr:street\" v=\"Teststraße\"/><tag k=\"addr:housenumber\" v=\"\(n)\"/>" }
        xml += node(31, lat0 + d / 2, lon0 + d / 2, tags: addr("1")) + node(32, lat0 + d / 2, lon1 + d / 5, tags: addr("2"))
        xml += "  <way id=\"100\" version=\"1\"><nd ref=\"1\"/><nd ref=\"2\"/><nd ref=\"3\"/><nd ref=\"4\"/><nd ref=\"1\"/><tag k=\"building\" v=\"yes\"/></way>\n"
        xml += "  <way id=\"101\" version=\"1\"><nd ref=\"11\"/><nd ref=\"12\"/><nd ref=\"13\"/><nd ref=\"14\"/><nd ref=\"11\"/><tag k=\"building\" v=\"yes\"/></way>\n"
        xml += "  <way id=\"102\" version=\"1\"><nd ref=\"21\"/><nd ref=\"22\"/><nd ref=\"21\"/><tag k=\"building\" v=\"yes\"/></way>\n"
        xml += "</osm>\n"
        let url = folder.file("broken.osm")
        try Data(xml.utf8).write(to: url)
        return url
    }

    @Test func brokenAreasAreRepairedOrLeftOutAndNamed() throws {
        let folder = TemporaryFolder("litfass-broken-osm")
        let osm = try Self.brokenExtract(in: folder)
        let (scenario, report) = try ScenarioBuilder(osmPath: osm.path,
                                                     assumptionsPath: TestPaths.data.appendingPathComponent("assumptions.json").path).build()
        let ids = Set(scenario.buildings.map(\.id))
        #expect(ids.contains("way/100"))
        #expect(ids.contains("way/101"), "the self-intersecting building is repaired, not dropped")
        #expect(!ids.contains("way/102"), "a two-node outline encloses no area")
        let engine = GeometryEngine()
        // The repaired bow tie is two triangles: half the area of the square around its four corners (~14 m × 22 m).
        let bowTie = try #require(scenario.buildings.first { $0.id == "way/101" })
        let square = try #require(scenario.buildings.first { $0.id == "way/100" })
        #expect(bowTie.footprint.count == 2)
        #expect(abs(bowTie.footprintAreaSquareMeters - square.footprintAreaSquareMeters / 2) < 0.01 * square.footprintAreaSquareMeters)
        for polygon in bowTie.footprint { #expect(try engine.makeValid(.polygon(polygon)) == .polygon(polygon)) }
        // Both address nodes find their building.
        #expect(scenario.addresses.first { $0.houseNumber == "1" }?.buildingID == "way/100")
        #expect(scenario.addresses.first { $0.houseNumber == "2" }?.buildingID == "way/101")
        #expect(report.warnings.contains { $0.contains("self-intersecting") && $0.contains("way/101") }, "\(report.warnings)")
        // GDAL's OSM driver gives way/102 as a ring of 3 points (21, 22, 21).
        #expect(report.warnings.contains { $0.contains("fewer than 4 points") && $0.contains("way/102") }, "\(report.warnings)")
    }

    /// The data area grown footprint by footprint is the area grown from the union of the footprints
    /// (`buffer(∪ Fᵢ, r) = ∪ buffer(Fᵢ, r)`): on the Neuss extract the two agree to within the arcs' approximation.
    @Test func dataAreaEqualsTheBufferOfTheUnion() throws {
        let (scenario, _) = neuss
        let assumptions = try Assumptions.load(path: TestPaths.data.appendingPathComponent("assumptions.json").path)
        let rule = try #require(assumptions.dataArea)
        let engine = GeometryEngine()
        let fast = try #require(scenario.dataArea)
        let closing = rule.closingMeters.value, margin = rule.marginMeters.value
        let union = try engine.union(.multiPolygon(scenario.buildings.flatMap(\.footprint)))
        let reference = try engine.buffer(try engine.buffer(union, meters: closing + margin, quadrantSegments: 4), meters: -closing, quadrantSegments: 4)
        let a = try engine.area(.multiPolygon(fast)), b = try engine.area(reference)
        #expect(a > 3e6, "Neuss's data area is a few km²: \(a)")
        #expect(abs(a - b) / b < 1e-4, "areas \(a) vs \(b) m²")
        // Every building lies inside, and a point 200 m beyond the outermost building (more than closing + margin) lies outside.
        for building in scenario.buildings.prefix(200) {
            #expect(try engine.contains(.multiPolygon(fast), try engine.interiorPoint(.multiPolygon(building.footprint))))
        }
        let box = scenario.boundingBox
        #expect(!(try engine.contains(.multiPolygon(fast), MapPoint(x: box.minX - 400, y: box.minY - 400))))
    }
}
