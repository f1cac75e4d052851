import Foundation
internal import CGDAL

/// A vector file opened for reading through GDAL/OGR: OSM PBF/XML, GeoPackage, GeoJSON, CSV,
/// Shapefile, KML, GML/CityGML and every other format GDAL reads.
///
/// Owns one `GDALDatasetH` (`GDALOpenEx`), closed in `deinit`. Use from one thread at a time.
public final class VectorDataset {
    let handle: GDALDatasetH
    /// The file as the user named it (for messages).
    public let path: String

    /// Opens a vector file.
    /// - Parameters:
    ///   - openOptions: driver open options, e.g. `["X_POSSIBLE_NAMES=lon"]` for CSV.
    ///   - drivers: restricts the drivers tried (e.g. `["OSM"]`); nil tries all.
    ///   - update: opens for writing (GeoPackage stores).
    /// - Throws: `GeoError.vector` naming the file when it is missing or no driver reads it.
    public init(path: String, openOptions: [String] = [], drivers: [String]? = nil, update: Bool = false) throws {
        GDALRuntime.ensure()
        guard FileManager.default.fileExists(atPath: path) else {
            throw GeoError.vector(file: path, message: "no such file")
        }
        GDALRuntime.resetError()
        let flags = UInt32(GDAL_OF_VECTOR) | (update ? UInt32(GDAL_OF_UPDATE) : 0)
        let opened: GDALDatasetH? = withConstCStringList(openOptions) { options in
            withConstCStringList(drivers ?? []) { allowed in
                GDALOpenEx(path, flags, drivers == nil ? nil : allowed, options, nil)
            }
        }
        guard let opened else {
            throw GeoError.vector(file: path, message: GDALRuntime.lastError(
                "not a vector format GDAL can read\(drivers.map { " (expected \($0.joined(separator: "/")))" } ?? "")"))
        }
        handle = opened
        self.path = path
    }

    deinit { GDALClose(handle) }

    /// CPU time [s] of the parsing thread of the last pipelined `features(layer:pipelined:)` (for profiling).
    public private(set) var lastParserCPUSeconds: Double?

    /// The GDAL driver that opened the file, e.g. "OSM", "GPKG", "CSV".
    public var driverName: String {
        guard let driver = GDALGetDatasetDriver(handle), let name = GDALGetDriverShortName(driver) else { return "" }
        return String(cString: name)
    }

    /// Names of the layers, in order.
    public var layerNames: [String] {
        (0..<GDALDatasetGetLayerCount(handle)).compactMap { i in
            GDALDatasetGetLayer(handle, i).map { String(cString: OGR_L_GetName($0)) }
        }
    }

    func layerHandle(_ name: String) throws -> OGRLayerH {
        guard let layer = GDALDatasetGetLayerByName(handle, name) else {
            throw GeoError.vector(file: path, message: "no layer '\(name)' (layers: \(layerNames.joined(separator: ", ")))")
        }
        return layer
    }

    /// What a layer holds.
    /// - Throws: `GeoError.vector` when there is no such layer.
    public func info(layer name: String) throws -> VectorLayerInfo {
        let layer = try layerHandle(name)
        let definition = OGR_L_GetLayerDefn(layer)
        var fields: [FieldDefinition] = []
        for i in 0..<OGR_FD_GetFieldCount(definition) {
            guard let field = OGR_FD_GetFieldDefn(definition, i) else { continue }
            let type: FieldType
            switch OGR_Fld_GetType(field) {
            case OFTInteger, OFTInteger64: type = .integer
            case OFTReal: type = .real
            default: type = .string
            }
            fields.append(FieldDefinition(String(cString: OGR_Fld_GetNameRef(field)), type))
        }
        let count = OGR_L_GetFeatureCount(layer, 0)
        return VectorLayerInfo(name: name, geometryKind: GeometryKind(OGR_L_GetGeomType(layer)),
                               crs: Self.crs(OGR_L_GetSpatialRef(layer)), fields: fields,
                               featureCount: count >= 0 ? Int(count) : nil)
    }

    static func crs(_ srs: OGRSpatialReferenceH?) -> CRS? {
        guard let srs else { return nil }
        if let code = OSRGetAuthorityCode(srs, nil), let name = OSRGetAuthorityName(srs, nil),
           String(cString: name) == "EPSG", let epsg = Int(String(cString: code)) {
            return CRS(epsg: epsg)
        }
        guard let clone = OSRClone(srs) else { return nil }
        defer { OSRDestroySpatialReference(clone) }
        if OSRAutoIdentifyEPSG(clone) == OGRERR_NONE, let code = OSRGetAuthorityCode(clone, nil),
           let epsg = Int(String(cString: code)) {
            return CRS(epsg: epsg)
        }
        return nil
    }

    /// Reads every feature of the listed layers (all layers when nil) in one pass over the file,
    /// in file order (`GDALDatasetGetNextFeature`: the way the OSM driver wants to be read).
    /// - Parameter body: called with the layer name and the feature.
    /// - Throws: `GeoError.vector` when GDAL reports a read error (e.g. a truncated file).
    public func forEachFeature(layers: Set<String>? = nil, _ body: (String, VectorFeature) throws -> Void) throws {
        var schemas: [UnsafeMutableRawPointer: (String, FieldSchema)] = [:]
        for i in 0..<GDALDatasetGetLayerCount(handle) {
            guard let layer = GDALDatasetGetLayer(handle, i) else { continue }
            let name = String(cString: OGR_L_GetName(layer))
            let definition = OGR_L_GetLayerDefn(layer)
            let names = (0..<OGR_FD_GetFieldCount(definition)).map {
                String(cString: OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(definition, $0)))
            }
            schemas[layer] = (name, FieldSchema(names))
            if let layers, !layers.contains(name) {
                // Tell the driver not to build what we skip.
                OGR_L_SetAttributeFilter(layer, "0 = 1")
            }
        }
        GDALDatasetResetReading(handle)
        let (_, failures) = try collectingGDALFailures {
            while true {
                var layerOut: OGRLayerH?
                guard let feature = GDALDatasetGetNextFeature(handle, &layerOut, nil, nil, nil) else { break }
                defer { OGR_F_Destroy(feature) }
                guard let layer = layerOut, let (name, schema) = schemas[layer] else { continue }
                if let layers, !layers.contains(name) { continue }
                try body(name, try Self.read(feature, schema))
            }
        }
        if let first = failures.first {
            throw GeoError.vector(file: path, message: "read error (the file may be truncated or corrupt): \(first)")
        }
    }

    /// Reads every feature of one layer.
    /// - Parameter pipelined: parse on a thread of its own while this one turns the features into
    ///   Swift values (for drivers whose layer schema is fixed once the file is open, such as
    ///   GeoJSON: the features' field definitions are then only read on both threads).
    /// - Parameter onBatch: called on this thread with each run of features as soon as it is
    ///   converted (pipelined), so that the caller can work while GDAL parses; else once with all.
    /// - Throws: `GeoError.vector` for a missing layer or a read error.
    public func features(layer name: String, pipelined: Bool = false,
                         onBatch: ((ArraySlice<VectorFeature>) -> Void)? = nil) throws -> [VectorFeature] {
        let layer = try layerHandle(name)
        let definition = OGR_L_GetLayerDefn(layer)
        let schema = FieldSchema((0..<OGR_FD_GetFieldCount(definition)).map {
            String(cString: OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(definition, $0)))
        })
        OGR_L_ResetReading(layer)
        if pipelined { return try pipelinedFeatures(layer: layer, name: name, schema: schema, onBatch: onBatch) }
        let (result, failures) = try collectingGDALFailures {
            var result: [VectorFeature] = []
            while let feature = OGR_L_GetNextFeature(layer) {
                defer { OGR_F_Destroy(feature) }
                result.append(try Self.read(feature, schema))
            }
            return result
        }
        if let first = failures.first {
            throw GeoError.vector(file: path, message: "layer '\(name)': read error: \(first)")
        }
        onBatch?(result[...])
        return result
    }

    /// `features(layer:)` with GDAL's parsing on a second thread: it hands batches of features
    /// over a bounded queue; this thread converts and destroys them, in file order.
    private func pipelinedFeatures(layer: OGRLayerH, name: String, schema: FieldSchema,
                                   onBatch: ((ArraySlice<VectorFeature>) -> Void)?) throws -> [VectorFeature] {
        let handoff = FeatureHandoff(layer: layer)
        let reader = Thread { [handoff] in
            let (_, failures) = collectingGDALFailures {
                var batch: [OGRFeatureH] = []
                batch.reserveCapacity(FeatureHandoff.batchSize)
                while let feature = OGR_L_GetNextFeature(handoff.layer) {
                    batch.append(feature)
                    if batch.count == FeatureHandoff.batchSize {
                        handoff.put(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { handoff.put(batch) }
            }
            var cpu = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu)
            handoff.parserCPUSeconds = Double(cpu.tv_sec) + Double(cpu.tv_nsec) / 1e9
            handoff.finish(failures: failures)
        }
        reader.stackSize = 8 << 20
        reader.start()
        var result: [VectorFeature] = []
        while let batch = handoff.take() {
            let start = result.count
            for feature in batch {
                defer { OGR_F_Destroy(feature) }
                result.append(Self.convert(feature, schema))
            }
            onBatch?(result[start...])
        }
        if let first = handoff.failures.first {
            throw GeoError.vector(file: path, message: "layer '\(name)': read error: \(first)")
        }
        lastParserCPUSeconds = handoff.parserCPUSeconds
        return result
    }

    static func read(_ feature: OGRFeatureH, _ schema: FieldSchema) throws -> VectorFeature { convert(feature, schema) }

    static func convert(_ feature: OGRFeatureH, _ schema: FieldSchema) -> VectorFeature {
        var values: [FieldValue] = []
        values.reserveCapacity(schema.names.count)
        let definition = OGR_F_GetDefnRef(feature)
        for i in 0..<Int32(schema.names.count) {
            guard OGR_F_IsFieldSetAndNotNull(feature, i) != 0 else { values.append(.null); continue }
            switch OGR_Fld_GetType(OGR_FD_GetFieldDefn(definition, i)) {
            case OFTInteger, OFTInteger64: values.append(.integer(OGR_F_GetFieldAsInteger64(feature, i)))
            case OFTReal: values.append(.real(OGR_F_GetFieldAsDouble(feature, i)))
            default: values.append(.string(String(cString: OGR_F_GetFieldAsString(feature, i))))
            }
        }
        let geometry = OGR_F_GetGeometryRef(feature).flatMap { OGRGeometryReader.read($0) }
        return VectorFeature(id: OGR_F_GetFID(feature), values: values, geometry: geometry, schema: schema)
    }
}

extension GeometryKind {
    init(_ type: OGRwkbGeometryType) {
        switch OGR_GT_Flatten(type) {
        case wkbNone: self = .none
        case wkbPoint: self = .point
        case wkbLineString: self = .lineString
        case wkbPolygon: self = .polygon
        case wkbMultiPoint: self = .multiPoint
        case wkbMultiLineString: self = .multiLineString
        case wkbMultiPolygon: self = .multiPolygon
        default: self = .unknown
        }
    }

    var ogrType: OGRwkbGeometryType {
        switch self {
        case .none: return wkbNone
        case .point: return wkbPoint
        case .lineString: return wkbLineString
        case .polygon: return wkbPolygon
        case .multiPoint: return wkbMultiPoint
        case .multiLineString: return wkbMultiLineString
        case .multiPolygon: return wkbMultiPolygon
        case .unknown: return wkbUnknown
        }
    }
}

/// Converts OGR geometries to Litfass geometries (2-D; Z is dropped).
enum OGRGeometryReader {
    static func read(_ g: OGRGeometryH) -> Geometry? {
        let type = OGR_GT_Flatten(OGR_G_GetGeometryType(g))
        switch type {
        case wkbPoint:
            guard OGR_G_IsEmpty(g) == 0 else { return nil }
            return .point(MapPoint(x: OGR_G_GetX(g, 0), y: OGR_G_GetY(g, 0)))
        case wkbLineString, wkbLinearRing:
            return .lineString(LineString(points(g)))
        case wkbPolygon:
            let count = OGR_G_GetGeometryCount(g)
            guard count > 0 else { return nil }
            let rings = (0..<count).map { points(OGR_G_GetGeometryRef(g, $0)) }
            return .polygon(Polygon(exterior: rings[0], holes: Array(rings.dropFirst())))
        case wkbMultiPoint:
            return .multiPoint(parts(g).compactMap { if case .point(let p) = $0 { return p } else { return nil } })
        case wkbMultiLineString:
            return .multiLineString(parts(g).flatMap(\.lineStrings))
        case wkbMultiPolygon:
            return .multiPolygon(parts(g).flatMap(\.polygons))
        case wkbGeometryCollection:
            return .collection(parts(g))
        case wkbPolyhedralSurface, wkbTIN, wkbTriangle, wkbMultiSurface, wkbCurvePolygon:
            // Surfaces (e.g. 3-D building models): their faces as polygons.
            guard let clone = OGR_G_Clone(g) else { return nil }
            let multi = OGR_G_ForceToMultiPolygon(clone)
            defer { OGR_G_DestroyGeometry(multi) }
            return multi.flatMap { read($0) }
        default:
            // Curves and other kinds: their linear approximation.
            guard let linear = OGR_G_GetLinearGeometry(g, 0, nil) else { return nil }
            defer { OGR_G_DestroyGeometry(linear) }
            if OGR_GT_Flatten(OGR_G_GetGeometryType(linear)) == type { return nil }
            return read(linear)
        }
    }

    private static func parts(_ g: OGRGeometryH) -> [Geometry] {
        (0..<OGR_G_GetGeometryCount(g)).compactMap { read(OGR_G_GetGeometryRef(g, $0)) }
    }

    private static func points(_ g: OGRGeometryH?) -> [MapPoint] {
        guard let g else { return [] }
        let count = Int(OGR_G_GetPointCount(g))
        guard count > 0 else { return [] }
        var result = [MapPoint](repeating: MapPoint(x: 0, y: 0), count: count)
        let stride = Int32(MemoryLayout<MapPoint>.stride)
        result.withUnsafeMutableBytes { bytes in
            let base = bytes.baseAddress!
            _ = OGR_G_GetPoints(g, base, Int32(stride), base + MemoryLayout<Double>.stride, Int32(stride), nil, 0)
        }
        return result
    }
}

/// The queue between the thread that parses and the thread that converts (`features(layer:pipelined:)`):
/// at most `capacity` batches wait, so memory stays bounded when conversion falls behind.
private final class FeatureHandoff: @unchecked Sendable {
    static let batchSize = 512
    private static let capacity = 64
    // Guarded by `condition`: the batches waiting, whether the reader is done, and its failures.
    private let condition = NSCondition()
    private var batches: [[OGRFeatureH]] = []
    private var head = 0
    private var done = false
    private(set) var failures: [String] = []
    /// CPU time of the parsing thread [s], set by it before `finish`.
    var parserCPUSeconds = 0.0
    /// Used by the reading thread only.
    let layer: OGRLayerH

    init(layer: OGRLayerH) { self.layer = layer }

    func put(_ batch: [OGRFeatureH]) {
        condition.lock()
        while batches.count - head >= Self.capacity { condition.wait() }
        if head > 1024 { batches.removeFirst(head); head = 0 }
        batches.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    func finish(failures: [String]) {
        condition.lock()
        self.failures = failures
        done = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch in order; nil when the reader is done and every batch was taken.
    func take() -> [OGRFeatureH]? {
        condition.lock()
        defer { condition.unlock() }
        while head == batches.count && !done { condition.wait() }
        guard head < batches.count else { return nil }
        let batch = batches[head]
        batches[head] = []
        head += 1
        condition.broadcast()
        return batch
    }
}
