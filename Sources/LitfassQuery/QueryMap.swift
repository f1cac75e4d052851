import Foundation
import LitfassCoverage
import LitfassGeo
import LitfassScenario

/// The `--map` picture of an answer: the building, the fibre route to the access point, lines to
/// the serving sites, and the coverage of the best operator around it.
public enum QueryMap {
    /// Writes the PNG.
    /// - Throws: `CoverageError` or `GeoError` when the map cannot be computed or written.
    public static func write(_ answer: QueryAnswer, engine: QueryEngine, to path: String) throws {
        let scenario = engine.scenario
        let best = answer.mobile.max { ($0.indoor ?? $0.outdoor)?.downlinkMbps ?? -1 < ($1.indoor ?? $1.outdoor)?.downlinkMbps ?? -1 }
        let operatorName = best?.operatorName ?? scenario.operatorNames.first ?? ""
        var box = BoundingBox(minX: answer.location.x, minY: answer.location.y, maxX: answer.location.x, maxY: answer.location.y)
        for polygon in answer.building?.footprint ?? [] { box.include(polygon.boundingBox) }
        var lines: [PointMap.Line] = []
        if let route = answer.fibre?.route, route.points.count > 1 {
            lines.append(PointMap.Line(points: route.points, kind: "fibre"))
            if let routeBox = BoundingBox(points: route.points) { box.include(routeBox) }
        }
        for op in answer.mobile {
            guard let id = op.site, let site = (scenario.sites + scenario.candidateSites).first(where: { $0.id == id }) else { continue }
            lines.append(PointMap.Line(points: [answer.location, site.location], kind: "link"))
            if op.operatorName == operatorName { box.include(site.location) }
        }
        // At least 300 m across, at most 2 km, with a margin.
        box = box.expanded(by: 60)
        let grow = max(0, 300 - min(box.width, box.height)) / 2
        box = box.expanded(by: grow)
        let center = MapPoint(x: (box.minX + box.maxX) / 2, y: (box.minY + box.maxY) / 2)
        let half = min(1_000, max(box.width, box.height) / 2)
        box = BoundingBox(minX: center.x - half, minY: center.y - half, maxX: center.x + half, maxY: center.y + half)
        try PointMap.write(path: path, scenario: scenario, operatorName: operatorName, area: box,
                           highlight: answer.building?.footprint ?? [], lines: lines,
                           title: QueryFormatter.title(answer).components(separatedBy: " — ").first ?? "Query",
                           resolutionMeters: half > 500 ? 4 : 2)
    }
}
