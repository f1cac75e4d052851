import Foundation
import LitfassGeo
import LitfassQuery
import LitfassScenario

/// GeoJSON (RFC 7946, WGS84 lon/lat, 6 decimals ≈ 0.1 m) for the page's map: the scenario's own buildings, streets
/// and fibre as the base map (no online tiles), and per answer the building, the fibre route and the serving links.
///
/// Every feature carries `kind` (`building`, `street`, `fibre`, `fibre-ap`, `site`, `candidate`; per answer
/// `answer-building`, `location`, `fibre-route`, `access-point`, `link`, `improvement`).
public struct MapLayers: Sendable {
    let projection: SharedProjection
    let sitesByID: [String: Site]
    let accessPointsByID: [String: FibreAccessPoint]

    /// - Throws: `GeoError` when the UTM → WGS84 transformation cannot be created.
    public init(scenario: Scenario) throws {
        projection = try SharedProjection(from: .utm32N, to: .wgs84)
        var sites: [String: Site] = [:]
        for site in scenario.sites + scenario.candidateSites where sites[site.id] == nil { sites[site.id] = site }
        sitesByID = sites
        var points: [String: FibreAccessPoint] = [:]
        for p in scenario.fibreAccessPoints { points[p.id] = p }
        accessPointsByID = points
    }

    /// The base map of a scenario as one FeatureCollection.
    /// - Throws: `GeoError` when a coordinate cannot be transformed.
    public func basemap(_ scenario: Scenario) throws -> [String: Any] {
        var features: [[String: Any]] = []
        for b in scenario.buildings {
            features.append(feature(try multiPolygon(b.footprint), ["kind": "building", "id": b.id, "type": b.type,
                                                                     "heightMeters": (b.heightMeters * 10).rounded() / 10]))
        }
        for s in scenario.streets {
            features.append(feature(try line(s.line.points), ["kind": "street", "id": s.id, "class": s.streetClass, "name": s.name ?? NSNull()]))
        }
        for f in scenario.fibreSegments {
            features.append(feature(try line(f.line.points), ["kind": "fibre", "id": f.id, "illustrative": f.isIllustrative]))
        }
        for p in scenario.fibreAccessPoints {
            features.append(feature(try point(p.location), ["kind": "fibre-ap", "id": p.id]))
        }
        for s in scenario.sites {
            features.append(feature(try point(s.location), ["kind": "site", "id": s.id, "name": s.name ?? NSNull()]))
        }
        for s in scenario.candidateSites {
            features.append(feature(try point(s.location), ["kind": "candidate", "id": s.id, "name": s.name ?? NSNull()]))
        }
        return ["type": "FeatureCollection", "features": features]
    }

    /// The map of one answer: its building, position, fibre route and access point, a line to every operator's
    /// serving site, and the candidate column that would improve it.
    /// - Throws: `GeoError` when a coordinate cannot be transformed.
    public func answerMap(_ answer: QueryAnswer) throws -> [String: Any] {
        var features: [[String: Any]] = []
        if let b = answer.building {
            features.append(feature(try multiPolygon(b.footprint), ["kind": "answer-building", "id": b.id, "type": b.type]))
        }
        features.append(feature(try point(answer.location), ["kind": "location", "question": answer.question]))
        if let fibre = answer.fibre {
            if fibre.route.points.count > 1 {
                features.append(feature(try line(fibre.route.points), ["kind": "fibre-route", "routeMeters": fibre.routeMeters.rounded(),
                                                                         "estimatedCostEUR": fibre.estimatedCostEUR,
                                                                         "productClass": fibre.productClass.rawValue,
                                                                         "illustrative": fibre.illustrative]))
            }
            if let id = fibre.accessPointID, let ap = accessPointsByID[id] {
                features.append(feature(try point(ap.location), ["kind": "access-point", "id": id]))
            }
        }
        for op in answer.mobile {
            guard let id = op.site, let site = sitesByID[id] else { continue }
            let figures = op.indoor ?? op.outdoor
            features.append(feature(try line([answer.location, site.location]),
                                    ["kind": "link", "operator": op.operatorName, "site": id, "band": op.band ?? NSNull(),
                                     "downlinkMbps": figures.map { ($0.downlinkMbps * 10).rounded() / 10 } ?? NSNull()]))
        }
        if let improvement = answer.improvement, let site = sitesByID[improvement.candidateSite] {
            features.append(feature(try point(site.location), ["kind": "improvement", "id": improvement.candidateSite,
                                                                "operator": improvement.operatorName]))
        }
        return ["type": "FeatureCollection", "features": features]
    }

    /// The scenario's extent in WGS84: [west, south, east, north].
    public func extent(_ box: BoundingBox) throws -> [Double] {
        let corners = try projection.toLonLat([MapPoint(x: box.minX, y: box.minY), MapPoint(x: box.maxX, y: box.maxY)])
        return [corners[0].lon, corners[0].lat, corners[1].lon, corners[1].lat].map(Self.round)
    }

    func feature(_ geometry: [String: Any], _ properties: [String: Any]) -> [String: Any] {
        ["type": "Feature", "geometry": geometry, "properties": properties]
    }

    func positions(_ points: [MapPoint]) throws -> [[Double]] {
        try projection.toLonLat(points).map { [Self.round($0.lon), Self.round($0.lat)] }
    }

    func point(_ p: MapPoint) throws -> [String: Any] {
        ["type": "Point", "coordinates": try positions([p])[0]]
    }

    func line(_ points: [MapPoint]) throws -> [String: Any] {
        ["type": "LineString", "coordinates": try positions(points)]
    }

    func multiPolygon(_ polygons: [Polygon]) throws -> [String: Any] {
        ["type": "MultiPolygon", "coordinates": try polygons.map { p in try ([p.exterior] + p.holes).map { try positions($0) } }]
    }

    static func round(_ degrees: Double) -> Double { (degrees * 1e6).rounded() / 1e6 }
}
