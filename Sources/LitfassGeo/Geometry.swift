/// A line through points in map coordinates [m].
public struct LineString: Hashable, Sendable {
    public var points: [MapPoint]
    public init(_ points: [MapPoint]) { self.points = points }

    /// Length along the line [m].
    public var lengthMeters: Double {
        zip(points, points.dropFirst()).reduce(0) { $0 + $1.0.distance(to: $1.1) }
    }
}

/// A polygon in map coordinates [m]: one exterior ring and any number of holes. Rings are closed
/// (first point repeated last).
public struct Polygon: Hashable, Sendable {
    public var exterior: [MapPoint]
    public var holes: [[MapPoint]]

    public init(exterior: [MapPoint], holes: [[MapPoint]] = []) {
        self.exterior = exterior
        self.holes = holes
    }

    /// The bounding box of the exterior ring.
    public var boundingBox: BoundingBox {
        BoundingBox(points: exterior) ?? BoundingBox(minX: 0, minY: 0, maxX: 0, maxY: 0)
    }
}

/// Any of the geometries Litfass reads and writes, in the coordinates of its layer.
public enum Geometry: Hashable, Sendable {
    case point(MapPoint)
    case lineString(LineString)
    case polygon(Polygon)
    case multiPoint([MapPoint])
    case multiLineString([LineString])
    case multiPolygon([Polygon])
    case collection([Geometry])

    /// Every point of the geometry, in order.
    public var allPoints: [MapPoint] {
        switch self {
        case .point(let p): return [p]
        case .lineString(let l): return l.points
        case .polygon(let p): return p.exterior + p.holes.flatMap { $0 }
        case .multiPoint(let ps): return ps
        case .multiLineString(let ls): return ls.flatMap(\.points)
        case .multiPolygon(let ps): return ps.flatMap { $0.exterior + $0.holes.flatMap { $0 } }
        case .collection(let gs): return gs.flatMap(\.allPoints)
        }
    }

    /// The polygons of a polygonal geometry (empty for other kinds).
    public var polygons: [Polygon] {
        switch self {
        case .polygon(let p): return [p]
        case .multiPolygon(let ps): return ps
        case .collection(let gs): return gs.flatMap(\.polygons)
        default: return []
        }
    }

    /// The lines of a linear geometry (empty for other kinds).
    public var lineStrings: [LineString] {
        switch self {
        case .lineString(let l): return [l]
        case .multiLineString(let ls): return ls
        case .collection(let gs): return gs.flatMap(\.lineStrings)
        default: return []
        }
    }

    /// The same geometry with every point mapped by `transform`.
    public func mapPoints(_ transform: (MapPoint) throws -> MapPoint) rethrows -> Geometry {
        switch self {
        case .point(let p): return .point(try transform(p))
        case .lineString(let l): return .lineString(LineString(try l.points.map(transform)))
        case .polygon(let p): return .polygon(try p.mapPoints(transform))
        case .multiPoint(let ps): return .multiPoint(try ps.map(transform))
        case .multiLineString(let ls): return .multiLineString(try ls.map { LineString(try $0.points.map(transform)) })
        case .multiPolygon(let ps): return .multiPolygon(try ps.map { try $0.mapPoints(transform) })
        case .collection(let gs): return .collection(try gs.map { try $0.mapPoints(transform) })
        }
    }
}

extension Polygon {
    func mapPoints(_ transform: (MapPoint) throws -> MapPoint) rethrows -> Polygon {
        Polygon(exterior: try exterior.map(transform), holes: try holes.map { try $0.map(transform) })
    }
}
