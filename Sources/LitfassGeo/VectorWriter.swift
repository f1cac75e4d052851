import Foundation
internal import CGDAL

/// Writes vector files through GDAL/OGR: GeoPackage, GeoJSON, CSV, Shapefile, KML, GML.
///
/// Owns one `GDALDatasetH` created with `GDALCreate`; `close()` (or `deinit`) flushes and closes
/// it. Use from one thread at a time.
public final class VectorWriter {
    private var handle: GDALDatasetH?
    public let path: String
    private var layers: [String: (layer: OGRLayerH, fieldIndices: [Int32])] = [:]

    /// The GDAL driver for a file name's extension: .gpkg, .geojson/.json, .csv, .shp, .kml, .gml.
    public static func driver(forPath path: String) -> String? {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "gpkg": return "GPKG"
        case "geojson", "json": return "GeoJSON"
        case "csv": return "CSV"
        case "shp": return "ESRI Shapefile"
        case "kml": return "KML"
        case "gml": return "GML"
        default: return nil
        }
    }

    /// Creates a new file, replacing nothing: the caller removes an old file first if it wants to.
    /// - Parameters:
    ///   - driver: GDAL short name; nil picks it from the extension.
    /// - Throws: `GeoError.vector` when the driver is unknown or the file cannot be created.
    public init(path: String, driver: String? = nil, options: [String] = []) throws {
        GDALRuntime.ensure()
        guard let name = driver ?? Self.driver(forPath: path) else {
            throw GeoError.vector(file: path, message: "unknown output format; use .gpkg, .geojson, .csv, .shp, .kml or .gml")
        }
        guard let gdalDriver = GDALGetDriverByName(name) else {
            throw GeoError.vector(file: path, message: "GDAL has no driver \(name)")
        }
        GDALRuntime.resetError()
        let created = withCStringList(options) { GDALCreate(gdalDriver, path, 0, 0, 0, GDT_Unknown, $0) }
        guard let created else {
            throw GeoError.vector(file: path, message: GDALRuntime.lastError("cannot create the file"))
        }
        handle = created
        self.path = path
    }

    deinit { close() }

    /// Flushes and closes the file. Further writes fail.
    public func close() {
        if let handle { GDALClose(handle) }
        handle = nil
    }

    private func dataset() throws -> GDALDatasetH {
        guard let handle else { throw GeoError.vector(file: path, message: "already closed") }
        return handle
    }

    /// Creates a layer.
    /// - Parameters:
    ///   - crs: the layer's CRS; nil for a table without geometry.
    ///   - options: layer creation options of the driver (e.g. `["DESCRIPTION=..."]` for GPKG).
    /// - Throws: `GeoError.vector` with GDAL's message.
    public func createLayer(_ name: String, geometry: GeometryKind, crs: CRS?, fields: [FieldDefinition],
                            options: [String] = []) throws {
        let layer = try OGRLayerFactory.create(in: try dataset(), path: path, name: name, geometry: geometry, crs: crs,
                                               fields: fields, options: options)
        // Drivers may order or rename fields their own way (KML keeps Name/Description first):
        // remember where each of our fields landed.
        let definition = OGR_L_GetLayerDefn(layer)
        let indices = fields.map { OGR_FD_GetFieldIndex(definition, $0.name) }
        if let missing = zip(fields, indices).first(where: { $0.1 < 0 }) {
            throw GeoError.vector(file: path, message: "layer '\(name)': the driver did not keep field '\(missing.0.name)'")
        }
        layers[name] = (layer, indices)
    }

    /// Writes features to a layer created before. `values` follow the layer's fields in order.
    /// - Throws: `GeoError.vector` naming the layer and feature index.
    public func write(layer name: String, features: [(geometry: Geometry?, values: [FieldValue])]) throws {
        _ = try dataset()
        guard let (layer, fieldIndices) = layers[name] else {
            throw GeoError.vector(file: path, message: "no layer '\(name)' was created")
        }
        let definition = OGR_L_GetLayerDefn(layer)
        for (index, item) in features.enumerated() {
            guard let feature = OGR_F_Create(definition) else { continue }
            defer { OGR_F_Destroy(feature) }
            for (value, field) in zip(item.values, fieldIndices) {
                switch value {
                case .null: OGR_F_SetFieldNull(feature, field)
                case .string(let s): OGR_F_SetFieldString(feature, field, s)
                case .integer(let v): OGR_F_SetFieldInteger64(feature, field, v)
                case .real(let v): OGR_F_SetFieldDouble(feature, field, v)
                }
            }
            if let geometry = item.geometry, let g = OGRGeometryWriter.make(geometry) {
                OGR_F_SetGeometryDirectly(feature, g)
            }
            guard OGR_L_CreateFeature(layer, feature) == OGRERR_NONE else {
                throw GeoError.vector(file: path, message: "layer '\(name)' feature \(index): " + GDALRuntime.lastError("cannot write"))
            }
        }
    }

    /// Runs `body` in one transaction (all or nothing, and much faster for GeoPackage).
    /// - Throws: whatever `body` throws (the transaction is rolled back), or `GeoError.vector`.
    public func transaction(_ body: () throws -> Void) throws {
        let ds = try dataset()
        let started = GDALDatasetStartTransaction(ds, 0) == OGRERR_NONE
        do {
            try body()
        } catch {
            if started { GDALDatasetRollbackTransaction(ds) }
            throw error
        }
        if started, GDALDatasetCommitTransaction(ds) != OGRERR_NONE {
            throw GeoError.vector(file: path, message: GDALRuntime.lastError("commit failed"))
        }
    }
}

/// Converts Litfass geometries to OGR geometries (owned by the caller).
enum OGRGeometryWriter {
    static func make(_ geometry: Geometry) -> OGRGeometryH? {
        switch geometry {
        case .point(let p):
            let g = OGR_G_CreateGeometry(wkbPoint)
            OGR_G_SetPoint_2D(g, 0, p.x, p.y)
            return g
        case .lineString(let l):
            return curve(wkbLineString, l.points)
        case .polygon(let polygon):
            let g = OGR_G_CreateGeometry(wkbPolygon)
            for ring in [polygon.exterior] + polygon.holes {
                OGR_G_AddGeometryDirectly(g, curve(wkbLinearRing, ring))
            }
            return g
        case .multiPoint(let ps): return collection(wkbMultiPoint, ps.map { .point($0) })
        case .multiLineString(let ls): return collection(wkbMultiLineString, ls.map { .lineString($0) })
        case .multiPolygon(let ps): return collection(wkbMultiPolygon, ps.map { .polygon($0) })
        case .collection(let gs): return collection(wkbGeometryCollection, gs)
        }
    }

    private static func curve(_ type: OGRwkbGeometryType, _ points: [MapPoint]) -> OGRGeometryH? {
        let g = OGR_G_CreateGeometry(type)
        var copy = points
        let stride = Int32(MemoryLayout<MapPoint>.stride)
        copy.withUnsafeMutableBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            OGR_G_SetPoints(g, Int32(points.count), base, stride, base + MemoryLayout<Double>.stride, stride, nil, 0)
        }
        return g
    }

    private static func collection(_ type: OGRwkbGeometryType, _ parts: [Geometry]) -> OGRGeometryH? {
        let g = OGR_G_CreateGeometry(type)
        for part in parts { if let made = make(part) { OGR_G_AddGeometryDirectly(g, made) } }
        return g
    }
}

/// Creates an OGR layer with its CRS and fields: shared by `VectorWriter` and `VectorDataset.createLayer`.
enum OGRLayerFactory {
    static func create(in dataset: GDALDatasetH, path: String, name: String, geometry: GeometryKind, crs: CRS?,
                       fields: [FieldDefinition], options: [String]) throws -> OGRLayerH {
        var srs: OGRSpatialReferenceH?
        if let crs, geometry != .none {
            srs = OSRNewSpatialReference(nil)
            OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER)
            guard OSRImportFromEPSG(srs, Int32(crs.epsg)) == OGRERR_NONE else {
                OSRDestroySpatialReference(srs)
                throw GeoError.vector(file: path, message: "unknown CRS \(crs)")
            }
        }
        defer { if let srs { OSRRelease(srs) } }
        GDALRuntime.resetError()
        let created = withCStringList(options) { GDALDatasetCreateLayer(dataset, name, srs, geometry.ogrType, $0) }
        guard let layer = created else {
            throw GeoError.vector(file: path, message: "layer '\(name)': " + GDALRuntime.lastError("cannot create"))
        }
        for field in fields {
            let type: OGRFieldType = field.type == .integer ? OFTInteger64 : field.type == .real ? OFTReal : OFTString
            guard let definition = OGR_Fld_Create(field.name, type) else { continue }
            defer { OGR_Fld_Destroy(definition) }
            guard OGR_L_CreateField(layer, definition, 1) == OGRERR_NONE else {
                throw GeoError.vector(file: path, message: "layer '\(name)' field '\(field.name)': " + GDALRuntime.lastError("cannot create"))
            }
        }
        return layer
    }
}
