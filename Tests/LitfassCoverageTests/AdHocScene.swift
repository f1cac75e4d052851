import Foundation
import LitfassGeo
import LitfassScenario
import _LitfassTestSupport
@testable import LitfassCoverage

/// Small ad-hoc scenarios for the tests: a 400 m × 400 m square near Neuss (EPSG:25832), a frame
/// street fixing the extent, a few rectangular buildings and the sites and sectors a test needs.
enum AdHoc {
    static let x0 = 340_000.0, y0 = 5_675_000.0, size = 400.0

    static func assumptions() throws -> Assumptions {
        try Assumptions.load(path: TestPaths.data.appendingPathComponent("assumptions.json").path)
    }

    static func box(_ id: String, x: Double, y: Double, w: Double, h: Double, height: Double) -> Building {
        let ring = [MapPoint(x: x, y: y), MapPoint(x: x + w, y: y), MapPoint(x: x + w, y: y + h), MapPoint(x: x, y: y + h), MapPoint(x: x, y: y)]
        return Building(id: id, type: "yes", heightMeters: height, heightSource: .layerAttribute, levels: nil,
                        footprint: [Polygon(exterior: ring)], footprintAreaSquareMeters: w * h)
    }

    /// An omni sector on its own site at (x, y), B3 20 MHz (N_RB 100), antenna 20 m.
    static func omni(_ id: String, x: Double, y: Double, eirp: Double, operatorName: String = "Test", band: String = "B3",
                     frequencyHz: Double = 1842.5e6, bandwidthHz: Double = 20e6, height: Double = 20) -> (Site, Sector) {
        (Site(id: id, kind: .imported, location: MapPoint(x: x, y: y), structureHeightMeters: height, isEquipped: true),
         Sector(id: "\(id)/\(operatorName)/\(band)", siteID: id, operatorName: operatorName, band: band, centreFrequencyHz: frequencyHz,
                bandwidthHz: bandwidthHz, eirpDBm: eirp, antennaHeightMeters: height, azimuthDegrees: 0, downtiltDegrees: 0,
                pattern: "omni", isAssumption: false))
    }

    static func scenario(buildings: [Building] = [], transmitters: [(Site, Sector)]) throws -> Scenario {
        let frame = Street(id: "frame", streetClass: "service", name: nil, line: LineString([
            MapPoint(x: x0, y: y0), MapPoint(x: x0 + size, y: y0), MapPoint(x: x0 + size, y: y0 + size), MapPoint(x: x0, y: y0 + size)]))
        var sites: [Site] = []
        for (site, _) in transmitters where !sites.contains(where: { $0.id == site.id }) { sites.append(site) }
        return Scenario(buildings: buildings, addresses: [], streets: [frame], candidateSites: [], sites: sites,
                        sectors: transmitters.map(\.1), fibreSegments: [], fibreAccessPoints: [], assumptions: try assumptions(),
                        provenance: Provenance(sources: [.init(role: "test", fileName: "adhoc", sha256: String(repeating: "ab", count: 32))],
                                               attribution: "© OpenStreetMap contributors, ODbL 1.0", fibreIsIllustrative: false,
                                               fibreRule: "", builtBy: "test"))
    }

    static func options(resolution: Double = 10, threads: Int = 1) -> CoverageOptions {
        var o = CoverageOptions()
        o.resolutionMeters = resolution
        o.threads = threads
        o.sceneCacheDirectory = nil      // no files in the user's cache folder (SceneCacheTests use their own)
        return o
    }

    /// A cell centre of the 10 m grid: column/row from the north-west corner.
    static func center(column: Int, row: Int, cell: Double = 10) -> MapPoint {
        MapPoint(x: x0 + (Double(column) + 0.5) * cell, y: y0 + size - (Double(row) + 0.5) * cell)
    }
}
