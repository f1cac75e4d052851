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
    /// - Throws: `GeoError.vector` for a missing layer or a read error.
    public func features(layer name: String) throws -> [VectorFeature] {
        let layer = try layerHandle(name)
        let definition = OGR_L_GetLayerDefn(layer)
        let schema = FieldSchema((0..<OGR_FD_GetFieldCount(definition)).map {
            String(cString: OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(definition, $0)))
        })
        OGR_L_ResetReading(layer)
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
        return result
    }

    static func read(_ feature: OGRFeatureH, _ schema: FieldSchema) throws -> VectorFeature {
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
