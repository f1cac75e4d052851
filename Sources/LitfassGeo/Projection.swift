import Foundation
internal import CPROJ

/// A coordinate transformation between two CRSs, applied to whole arrays at once.
///
/// Wraps a PROJ context and a `PJ` transformation (`proj_create_crs_to_crs`, normalised to
/// lon/lat order for geographic systems). Each instance owns its own PROJ context, so an
/// instance must be used by one thread at a time. Creating one costs a few milliseconds (PROJ
/// reads its database): code that transforms again and again keeps one, or a `SharedProjection`.
public final class Projection {
    private let context: OpaquePointer
    private let transformation: OpaquePointer
    public let source: CRS
    public let target: CRS

    /// - Throws: `GeoError.projection` with PROJ's message when either CRS is unknown.
    public init(from source: CRS, to target: CRS) throws {
        guard let context = proj_context_create() else { throw GeoError.projection("cannot create a PROJ context") }
        // Never look up grids on the network: Litfass downloads nothing at run time.
        proj_context_set_enable_network(context, 0)
        guard let raw = proj_create_crs_to_crs(context, source.description, target.description, nil) else {
            let message = Projection.lastError(context)
            proj_context_destroy(context)
            throw GeoError.projection("\(source) -> \(target): \(message)")
        }
        guard let normalised = proj_normalize_for_visualization(context, raw) else {
            let message = Projection.lastError(context)
            proj_destroy(raw)
            proj_context_destroy(context)
            throw GeoError.projection("\(source) -> \(target): \(message)")
        }
        proj_destroy(raw)
        self.context = context
        self.transformation = normalised
        self.source = source
        self.target = target
    }

    deinit {
        proj_destroy(transformation)
        proj_context_destroy(context)
    }

    private static func lastError(_ context: OpaquePointer) -> String {
        let code = proj_context_errno(context)
        guard code != 0, let text = proj_context_errno_string(context, code) else { return "unknown CRS or transformation" }
        return String(cString: text)
    }

    /// Transforms coordinate arrays in place (x = lon or easting, y = lat or northing), in one
    /// batch call (`proj_trans_generic`).
    /// - Throws: `GeoError.projection` when a coordinate cannot be transformed, naming its index.
    /// - Complexity: O(n).
    public func transform(x: inout [Double], y: inout [Double]) throws {
        precondition(x.count == y.count, "coordinate arrays differ in length")
        let count = x.count
        guard count > 0 else { return }
        let stride = MemoryLayout<Double>.stride
        let transformed = x.withUnsafeMutableBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in
                proj_trans_generic(transformation, PJ_FWD, xs.baseAddress, stride, count,
                                   ys.baseAddress, stride, count, nil, 0, 0, nil, 0, 0)
            }
        }
        if transformed != count {
            throw GeoError.projection("\(source) -> \(target): \(count - transformed) of \(count) points failed")
        }
        for index in 0..<count where !x[index].isFinite || !y[index].isFinite {
            throw GeoError.projection("\(source) -> \(target): point \(index) cannot be transformed")
        }
    }

    /// Transforms geographic positions to map coordinates.
    /// - Throws: `GeoError.projection`.
    public func forward(_ positions: [LonLat]) throws -> [MapPoint] {
        var x = positions.map(\.lon), y = positions.map(\.lat)
        try transform(x: &x, y: &y)
        return (0..<x.count).map { MapPoint(x: x[$0], y: y[$0]) }
    }

    /// Transforms map coordinates to geographic positions (for a projection whose target is
    /// geographic, e.g. EPSG:25832 -> EPSG:4326).
    /// - Throws: `GeoError.projection`.
    public func toLonLat(_ points: [MapPoint]) throws -> [LonLat] {
        var x = points.map(\.x), y = points.map(\.y)
        try transform(x: &x, y: &y)
        return (0..<x.count).map { LonLat(lon: x[$0], lat: y[$0]) }
    }

    /// Transforms map points between two projected systems.
    /// - Throws: `GeoError.projection`.
    public func transform(_ points: [MapPoint]) throws -> [MapPoint] {
        var x = points.map(\.x), y = points.map(\.y)
        try transform(x: &x, y: &y)
        return (0..<x.count).map { MapPoint(x: x[$0], y: y[$0]) }
    }

    /// Transforms every point of a geometry in one batch.
    /// - Throws: `GeoError.projection`.
    public func transform(_ geometry: Geometry) throws -> Geometry {
        let transformed = try transform(geometry.allPoints)
        var index = 0
        return geometry.mapPoints { _ in
            defer { index += 1 }
            return transformed[index]
        }
    }
}

/// A `Projection` that several threads may use: its calls are serialised (a PROJ context serves one thread
/// at a time), so it is created once and kept (e.g. by a query engine answering addresses on all cores).
public final class SharedProjection: @unchecked Sendable {
    private let lock = NSLock()
    private let projection: Projection

    /// - Throws: `GeoError.projection` as `Projection.init`.
    public init(from source: CRS, to target: CRS) throws {
        projection = try Projection(from: source, to: target)
    }

    /// `Projection.forward`, serialised.
    public func forward(_ positions: [LonLat]) throws -> [MapPoint] {
        lock.lock(); defer { lock.unlock() }
        return try projection.forward(positions)
    }

    /// `Projection.toLonLat`, serialised.
    public func toLonLat(_ points: [MapPoint]) throws -> [LonLat] {
        lock.lock(); defer { lock.unlock() }
        return try projection.toLonLat(points)
    }
}
