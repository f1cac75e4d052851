import Foundation
import LitfassGeo
import LitfassScenario

/// The street network as a graph for routing fibre: nodes at street vertices (and at the fibre
/// access points, split into the streets they lie on), edges along street centre lines with the
/// street class. Built once per scenario; lookups and routes are read-only.
public struct StreetGraph: Sendable {
    public struct Edge: Sendable, Hashable {
        public var to: Int
        public var lengthMeters: Double
        /// Index into `classes`.
        public var streetClass: Int
    }

    public private(set) var positions: [MapPoint] = []
    public private(set) var edges: [[Edge]] = []
    public private(set) var classes: [String] = []
    /// Node of each access point, in the scenario's access-point order.
    public private(set) var accessPointNodes: [Int] = []
    /// Every street segment (a, b, class) for nearest-point lookups, bucketed by a coarse grid.
    var segments: [(a: Int, b: Int, streetClass: Int)] = []
    var buckets: [Int64: [Int]] = [:]
    let bucketMeters = 50.0
    var nodeByKey: [Int64: Int] = [:]

    /// Builds the graph of a scenario's streets with its fibre access points as nodes.
    public init(streets: [Street], accessPoints: [FibreAccessPoint]) {
        var classIndex: [String: Int] = [:]
        for street in streets {
            let c: Int
            if let known = classIndex[street.streetClass] { c = known } else {
                classes.append(street.streetClass)
                c = classes.count - 1
                classIndex[street.streetClass] = c
            }
            var nodes: [Int] = []
            for point in street.line.points { nodes.append(node(at: point)) }
            for (a, b) in zip(nodes, nodes.dropFirst()) where a != b { addSegment(a, b, c) }
        }
        for ap in accessPoints {
            accessPointNodes.append(insertNode(at: ap.location))
        }
    }

    private static func key(_ p: MapPoint) -> Int64 {
        // Vertices closer than 1 cm are the same node.
        Int64((p.x * 100).rounded()) << 32 ^ Int64((p.y * 100).rounded())
    }

    private mutating func node(at p: MapPoint) -> Int {
        let key = Self.key(p)
        if let existing = nodeByKey[key] { return existing }
        positions.append(p)
        edges.append([])
        nodeByKey[key] = positions.count - 1
        return positions.count - 1
    }

    private func bucketKeys(_ a: MapPoint, _ b: MapPoint) -> [Int64] {
        let x0 = Int64((min(a.x, b.x) / bucketMeters).rounded(.down)), x1 = Int64((max(a.x, b.x) / bucketMeters).rounded(.down))
        let y0 = Int64((min(a.y, b.y) / bucketMeters).rounded(.down)), y1 = Int64((max(a.y, b.y) / bucketMeters).rounded(.down))
        var keys: [Int64] = []
        for x in x0...x1 { for y in y0...y1 { keys.append(x << 32 ^ (y & 0xffff_ffff)) } }
        return keys
    }

    private mutating func addSegment(_ a: Int, _ b: Int, _ c: Int) {
        let length = positions[a].distance(to: positions[b])
        edges[a].append(Edge(to: b, lengthMeters: length, streetClass: c))
        edges[b].append(Edge(to: a, lengthMeters: length, streetClass: c))
        segments.append((a, b, c))
        for key in bucketKeys(positions[a], positions[b]) { buckets[key, default: []].append(segments.count - 1) }
    }

    /// The point on the nearest street segment to `p`: (segment index, projected point, distance).
    public func nearestStreetPoint(to p: MapPoint, maxDistanceMeters: Double = 500) -> (segment: Int, point: MapPoint, distanceMeters: Double)? {
        var best: (Int, MapPoint, Double)?
        var radius = bucketMeters
        while radius <= maxDistanceMeters + bucketMeters {
            let box = bucketKeys(MapPoint(x: p.x - radius, y: p.y - radius), MapPoint(x: p.x + radius, y: p.y + radius))
            var seen = Set<Int>()
            for key in box { for s in buckets[key] ?? [] where seen.insert(s).inserted {
                let (q, d) = Self.project(p, positions[segments[s].a], positions[segments[s].b])
                if best == nil || d < best!.2 || (d == best!.2 && s < best!.0) { best = (s, q, d) }
            } }
            if let best, best.2 <= radius { break }
            radius *= 2
        }
        guard let best, best.2 <= maxDistanceMeters else { return nil }
        return best
    }

    static func project(_ p: MapPoint, _ a: MapPoint, _ b: MapPoint) -> (MapPoint, Double) {
        let dx = b.x - a.x, dy = b.y - a.y
        let length2 = dx * dx + dy * dy
        let t = length2 > 0 ? max(0, min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2)) : 0
        let q = MapPoint(x: a.x + t * dx, y: a.y + t * dy)
        return (q, q.distance(to: p))
    }

    /// Adds a node at `p` on its nearest segment (splitting it) and returns it; an existing node when `p` is one.
    mutating func insertNode(at p: MapPoint) -> Int {
        if let existing = nodeByKey[Self.key(p)] { return existing }
        guard let (s, q, _) = nearestStreetPoint(to: p) else { return node(at: p) }
        let (a, b, c) = segments[s]
        if positions[a].distance(to: q) < 0.01 { return a }
        if positions[b].distance(to: q) < 0.01 { return b }
        let n = node(at: q)
        // Split a–b into a–n–b (the old edge stays for routing as well; it is never shorter).
        addSegment(a, n, c)
        addSegment(n, b, c)
        return n
    }
}
