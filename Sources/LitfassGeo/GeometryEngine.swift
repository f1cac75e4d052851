import Foundation
internal import CGEOS

/// Planar geometry operations — area, containment, distance, buffering, polygonising, union — on
/// Litfass geometries in map coordinates [m].
///
/// Wraps a GEOS context (`GEOS_init_r`) with a message handler that keeps GEOS's last error
/// message for the typed error. GEOS contexts are per thread: create one engine per thread.
public final class GeometryEngine {
    let handle: GEOSContextHandle_t
    private let messages: MessageBox

    /// Holds GEOS's last error message for the context's handler.
    final class MessageBox { var last = "" }

    public init() {
        guard let handle = GEOS_init_r() else { fatalError("GEOS_init_r failed: out of memory") }
        self.handle = handle
        messages = MessageBox()
        GEOSContext_setErrorMessageHandler_r(handle, { message, userData in
            guard let message, let userData else { return }
            Unmanaged<MessageBox>.fromOpaque(userData).takeUnretainedValue().last = String(cString: message)
        }, Unmanaged.passUnretained(messages).toOpaque())
    }

    deinit { GEOS_finish_r(handle) }

    private func failure(_ operation: String) -> GeoError {
        GeoError.geometry("\(operation): \(messages.last.isEmpty ? "GEOS reported an error" : messages.last)")
    }

    // MARK: - Operations

    /// Area of a polygonal geometry [m²].
    /// - Throws: `GeoError.geometry` for an invalid geometry.
    public func area(_ geometry: Geometry) throws -> Double {
        let g = try OwnedGEOS(self, geometry)
        var value = 0.0
        guard GEOSArea_r(handle, g.pointer, &value) == 1 else { throw failure("area") }
        return value
    }

    /// Whether `geometry` contains `point` (a point on the border is not contained).
    /// - Throws: `GeoError.geometry`.
    public func contains(_ geometry: Geometry, _ point: MapPoint) throws -> Bool {
        let g = try OwnedGEOS(self, geometry)
        let p = try OwnedGEOS(self, .point(point))
        let result = GEOSContains_r(handle, g.pointer, p.pointer)
        guard result != 2 else { throw failure("contains") }
        return result == 1
    }

    /// Shortest distance between two geometries [m]; 0 when they touch or overlap.
    /// - Throws: `GeoError.geometry`.
    public func distance(_ a: Geometry, _ b: Geometry) throws -> Double {
        let ga = try OwnedGEOS(self, a), gb = try OwnedGEOS(self, b)
        var value = 0.0
        guard GEOSDistance_r(handle, ga.pointer, gb.pointer, &value) == 1 else { throw failure("distance") }
        return value
    }

    /// The area within `meters` of the geometry, as polygons. Negative distances shrink polygons.
    /// - Parameter quadrantSegments: segments per quarter circle of a round corner.
    /// - Throws: `GeoError.geometry`.
    public func buffer(_ geometry: Geometry, meters: Double, quadrantSegments: Int = 8) throws -> Geometry {
        let g = try OwnedGEOS(self, geometry)
        guard let result = GEOSBuffer_r(handle, g.pointer, meters, Int32(quadrantSegments)) else { throw failure("buffer") }
        return try OwnedGEOS(self, owning: result).geometry()
    }

    /// The union of all polygons of the geometry (overlaps dissolved).
    /// - Throws: `GeoError.geometry`.
    public func union(_ geometry: Geometry) throws -> Geometry {
        let g = try OwnedGEOS(self, geometry)
        guard let result = GEOSUnaryUnion_r(handle, g.pointer) else { throw failure("union") }
        return try OwnedGEOS(self, owning: result).geometry()
    }

    /// The polygons formed by a set of lines (e.g. the edges of a 3-D building model).
    /// - Throws: `GeoError.geometry`.
    public func polygonize(_ lines: [LineString]) throws -> [Polygon] {
        let owned = try lines.map { try OwnedGEOS(self, .lineString($0)) }
        var pointers: [OpaquePointer?] = owned.map { $0.pointer }
        guard let result = GEOSPolygonize_r(handle, &pointers, UInt32(pointers.count)) else { throw failure("polygonize") }
        return try OwnedGEOS(self, owning: result).geometry().polygons
    }

    /// A valid version of the geometry (self-intersections resolved), or the geometry itself
    /// when it is valid already.
    /// - Throws: `GeoError.geometry`.
    public func makeValid(_ geometry: Geometry) throws -> Geometry {
        let g = try OwnedGEOS(self, geometry)
        if GEOSisValid_r(handle, g.pointer) == 1 { return geometry }
        guard let result = GEOSMakeValid_r(handle, g.pointer) else { throw failure("make valid") }
        return try OwnedGEOS(self, owning: result).geometry()
    }

    /// The centroid of the geometry.
    /// - Throws: `GeoError.geometry`.
    public func centroid(_ geometry: Geometry) throws -> MapPoint {
        let g = try OwnedGEOS(self, geometry)
        guard let result = GEOSGetCentroid_r(handle, g.pointer) else { throw failure("centroid") }
        guard case .point(let p) = try OwnedGEOS(self, owning: result).geometry() else { throw failure("centroid") }
        return p
    }

    /// A point guaranteed to lie inside a polygonal geometry (for labels and lookups).
    /// - Throws: `GeoError.geometry`.
    public func interiorPoint(_ geometry: Geometry) throws -> MapPoint {
        let g = try OwnedGEOS(self, geometry)
        guard let result = GEOSPointOnSurface_r(handle, g.pointer) else { throw failure("point on surface") }
        guard case .point(let p) = try OwnedGEOS(self, owning: result).geometry() else { throw failure("point on surface") }
        return p
    }
}

/// One GEOS geometry with exactly one owner: destroyed when this value goes away.
final class OwnedGEOS {
    let engine: GeometryEngine
    let pointer: OpaquePointer

    init(_ engine: GeometryEngine, owning pointer: OpaquePointer) {
        self.engine = engine
        self.pointer = pointer
    }

    convenience init(_ engine: GeometryEngine, _ geometry: Geometry) throws {
        self.init(engine, owning: try OwnedGEOS.make(engine.handle, geometry))
    }

    deinit { GEOSGeom_destroy_r(engine.handle, pointer) }

    // MARK: Swift -> GEOS

    private static func sequence(_ h: GEOSContextHandle_t, _ points: [MapPoint]) throws -> OpaquePointer {
        // MapPoint is two Doubles laid out as x, y: copy the whole ring in one call.
        let seq = points.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: Double.self) { doubles in
                GEOSCoordSeq_copyFromBuffer_r(h, doubles.baseAddress, UInt32(points.count), 0, 0)
            }
        }
        guard let seq else { throw GeoError.geometry("cannot create a coordinate sequence") }
        return seq
    }

    private static func ring(_ h: GEOSContextHandle_t, _ points: [MapPoint]) throws -> OpaquePointer {
        guard points.count >= 4 else { throw GeoError.geometry("a ring needs at least 4 points, got \(points.count)") }
        guard let ring = GEOSGeom_createLinearRing_r(h, try sequence(h, points)) else {
            throw GeoError.geometry("invalid ring")
        }
        return ring
    }

    private static func polygon(_ h: GEOSContextHandle_t, _ polygon: Polygon) throws -> OpaquePointer {
        let shell = try ring(h, polygon.exterior)
        var holes: [OpaquePointer?] = []
        do {
            for hole in polygon.holes { holes.append(try ring(h, hole)) }
        } catch {
            GEOSGeom_destroy_r(h, shell)
            for hole in holes { GEOSGeom_destroy_r(h, hole) }
            throw error
        }
        guard let result = GEOSGeom_createPolygon_r(h, shell, &holes, UInt32(holes.count)) else {
            throw GeoError.geometry("invalid polygon")
        }
        return result
    }

    static func make(_ h: GEOSContextHandle_t, _ geometry: Geometry) throws -> OpaquePointer {
        switch geometry {
        case .point(let p):
            guard let g = GEOSGeom_createPoint_r(h, try sequence(h, [p])) else { throw GeoError.geometry("invalid point") }
            return g
        case .lineString(let l):
            guard l.points.count >= 2 else { throw GeoError.geometry("a line needs at least 2 points") }
            guard let g = GEOSGeom_createLineString_r(h, try sequence(h, l.points)) else { throw GeoError.geometry("invalid line") }
            return g
        case .polygon(let p):
            return try polygon(h, p)
        case .multiPoint(let ps):
            return try collection(h, GEOS_MULTIPOINT, ps.map { .point($0) })
        case .multiLineString(let ls):
            return try collection(h, GEOS_MULTILINESTRING, ls.map { .lineString($0) })
        case .multiPolygon(let ps):
            return try collection(h, GEOS_MULTIPOLYGON, ps.map { .polygon($0) })
        case .collection(let gs):
            return try collection(h, GEOS_GEOMETRYCOLLECTION, gs)
        }
    }

    private static func collection(_ h: GEOSContextHandle_t, _ type: GEOSGeomTypes, _ parts: [Geometry]) throws -> OpaquePointer {
        var made: [OpaquePointer?] = []
        do {
            for part in parts { made.append(try make(h, part)) }
        } catch {
            for g in made { GEOSGeom_destroy_r(h, g) }
            throw error
        }
        guard let g = GEOSGeom_createCollection_r(h, Int32(type.rawValue), &made, UInt32(made.count)) else {
            throw GeoError.geometry("invalid collection")
        }
        return g
    }

    // MARK: GEOS -> Swift

    func geometry() throws -> Geometry { try OwnedGEOS.read(engine.handle, pointer) }

    private static func points(_ h: GEOSContextHandle_t, _ g: OpaquePointer) throws -> [MapPoint] {
        guard let seq = GEOSGeom_getCoordSeq_r(h, g) else { throw GeoError.geometry("no coordinates") }
        var size: UInt32 = 0
        GEOSCoordSeq_getSize_r(h, seq, &size)
        var result = [MapPoint](repeating: MapPoint(x: 0, y: 0), count: Int(size))
        result.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: Double.self) { doubles in
                _ = GEOSCoordSeq_copyToBuffer_r(h, seq, doubles.baseAddress, 0, 0)
            }
        }
        return result
    }

    static func read(_ h: GEOSContextHandle_t, _ g: OpaquePointer) throws -> Geometry {
        let type = GEOSGeomTypeId_r(h, g)
        switch type {
        case Int32(GEOS_POINT.rawValue):
            guard let p = try points(h, g).first else { return .multiPoint([]) }
            return .point(p)
        case Int32(GEOS_LINESTRING.rawValue), Int32(GEOS_LINEARRING.rawValue):
            return .lineString(LineString(try points(h, g)))
        case Int32(GEOS_POLYGON.rawValue):
            if GEOSisEmpty_r(h, g) == 1 { return .multiPolygon([]) }
            guard let shell = GEOSGetExteriorRing_r(h, g) else { throw GeoError.geometry("polygon without shell") }
            var holes: [[MapPoint]] = []
            for i in 0..<max(0, GEOSGetNumInteriorRings_r(h, g)) {
                if let hole = GEOSGetInteriorRingN_r(h, g, i) { holes.append(try points(h, hole)) }
            }
            return .polygon(Polygon(exterior: try points(h, shell), holes: holes))
        default:
            var parts: [Geometry] = []
            for i in 0..<max(0, GEOSGetNumGeometries_r(h, g)) {
                if let part = GEOSGetGeometryN_r(h, g, i) { parts.append(try read(h, part)) }
            }
            switch type {
            case Int32(GEOS_MULTIPOINT.rawValue):
                return .multiPoint(parts.compactMap { if case .point(let p) = $0 { return p } else { return nil } })
            case Int32(GEOS_MULTILINESTRING.rawValue):
                return .multiLineString(parts.flatMap(\.lineStrings))
            case Int32(GEOS_MULTIPOLYGON.rawValue):
                return .multiPolygon(parts.flatMap(\.polygons))
            default:
                return .collection(parts)
            }
        }
    }
}
