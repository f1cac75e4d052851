import Foundation
import Testing
@testable import LitfassGeo

/// PROJ transforms checked against values computed independently of PROJ.
struct ProjectionTests {
    /// GRS80 ellipsoid (ETRS89): semi-major axis [m] and flattening.
    let a = 6_378_137.0, f = 1 / 298.257222101

    /// Meridian arc length from the equator to latitude φ on GRS80 [m] — Helmert's series
    /// (e.g. Snyder, Map Projections — A Working Manual, USGS PP 1395, eq. 3-21).
    func meridianArc(latitudeDeg: Double) -> Double {
        let e2 = f * (2 - f)
        let e4 = e2 * e2, e6 = e4 * e2
        let phi = latitudeDeg * .pi / 180
        return a * ((1 - e2 / 4 - 3 * e4 / 64 - 5 * e6 / 256) * phi
                    - (3 * e2 / 8 + 3 * e4 / 32 + 45 * e6 / 1024) * sin(2 * phi)
                    + (15 * e4 / 256 + 45 * e6 / 1024) * sin(4 * phi)
                    - (35 * e6 / 3072) * sin(6 * phi))
    }

    @Test func centralMeridianOfUTM32NMapsToFalseEastingAndScaledMeridianArc() throws {
        let projection = try Projection(from: .wgs84, to: .utm32N)
        let latitudes = [0.0, 30, 47.5, 51.192364, 55]
        let points = try projection.forward(latitudes.map { LonLat(lon: 9, lat: $0) })
        for (lat, point) in zip(latitudes, points) {
            #expect(abs(point.x - 500_000) < 1e-6)
            // UTM scale factor on the central meridian k0 = 0.9996.
            #expect(abs(point.y - 0.9996 * meridianArc(latitudeDeg: lat)) < 0.001, "latitude \(lat)")
        }
    }

    @Test func eastingsAreSymmetricAboutTheCentralMeridian() throws {
        let projection = try Projection(from: .wgs84, to: .utm32N)
        let points = try projection.forward([LonLat(lon: 6.679932, lat: 51.192364), LonLat(lon: 11.320068, lat: 51.192364)])
        #expect(abs((points[0].x - 500_000) + (points[1].x - 500_000)) < 1e-6)
        #expect(abs(points[0].y - points[1].y) < 1e-6)
        // The Neuss Litfaßsäule lies west of the central meridian, about 323 km from it.
        #expect(points[0].x > 330_000 && points[0].x < 340_000)
    }

    @Test func webMercatorMatchesItsClosedForm() throws {
        // EPSG:3857: x = R λ, y = R ln tan(π/4 + φ/2), R = 6 378 137 m — any EPSG code goes through PROJ.
        let projection = try Projection(from: .wgs84, to: CRS(epsg: 3857))
        let positions = [LonLat(lon: 6.7, lat: 51.2), LonLat(lon: -73.98, lat: 40.75), LonLat(lon: 0, lat: 0)]
        let points = try projection.forward(positions)
        for (p, q) in zip(positions, points) {
            #expect(abs(q.x - 6_378_137 * p.lon * .pi / 180) < 1e-6)
            #expect(abs(q.y - 6_378_137 * log(tan(.pi / 4 + p.lat * .pi / 360))) < 1e-6)
        }
    }

    @Test func roundTripIsExactToMicrodegrees() throws {
        let forward = try Projection(from: .wgs84, to: .utm32N)
        let inverse = try Projection(from: .utm32N, to: .wgs84)
        var generator = SystemRandomNumberGenerator()
        _ = generator
        let positions = (0..<1000).map { i in LonLat(lon: 6 + Double(i % 37) * 0.03, lat: 50 + Double(i % 41) * 0.05) }
        let back = try inverse.toLonLat(try forward.forward(positions))
        for (p, q) in zip(positions, back) {
            #expect(abs(p.lon - q.lon) < 1e-9 && abs(p.lat - q.lat) < 1e-9)
        }
    }

    @Test func unknownEPSGCodeIsATypedErrorWithPROJsMessage() {
        #expect {
            try Projection(from: .wgs84, to: CRS(epsg: 999_999))
        } throws: { error in
            guard case GeoError.projection(let message) = error else { return false }
            return message.contains("EPSG:999999")
        }
    }

    @Test func crsParsing() {
        #expect(CRS(parsing: "EPSG:25832") == .utm32N)
        #expect(CRS(parsing: "epsg:4326") == .wgs84)
        #expect(CRS(parsing: "25832") == .utm32N)
        #expect(CRS(parsing: "UTM32") == nil)
    }
}
