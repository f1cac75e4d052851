import Foundation
internal import CGDAL

/// Changing a vector dataset opened with `update: true` (a GeoPackage store): SQL in the
/// dataset's own dialect (SQLite for GeoPackage), transactions, new layers and appended features.
///
/// Everything here goes through GDAL (`GDALDatasetExecuteSQL`, `GDALDatasetStartTransaction`,
/// `OGR_L_CreateFeature`), so GDAL's own bookkeeping of a GeoPackage (spatial index triggers,
/// `gpkg_contents`, feature counts) stays right.
extension VectorDataset {
    /// Runs one SQL statement that returns no rows (`CREATE TABLE`, `INSERT`, `UPDATE`, `DELETE`).
    /// - Throws: `GeoError.vector` naming the file, with GDAL's (SQLite's) message.
    public func execute(sql: String) throws {
        GDALRuntime.resetError()
        let (result, failures) = collectingGDALFailures { GDALDatasetExecuteSQL(handle, sql, nil, nil) }
        if let result { GDALDatasetReleaseResultSet(handle, result) }
        if let first = failures.first {
            throw GeoError.vector(file: path, message: "SQL failed: \(first) [\(sql.prefix(200))]")
        }
    }

    /// Runs a `SELECT` and returns its rows; field names are the result's column names.
    /// - Throws: `GeoError.vector` naming the file, with GDAL's (SQLite's) message.
    public func query(sql: String) throws -> [VectorFeature] {
        GDALRuntime.resetError()
        let (layer, failures) = collectingGDALFailures { GDALDatasetExecuteSQL(handle, sql, nil, nil) }
        if let first = failures.first {
            if let layer { GDALDatasetReleaseResultSet(handle, layer) }
            throw GeoError.vector(file: path, message: "SQL failed: \(first) [\(sql.prefix(200))]")
        }
        guard let layer else { return [] }
        defer { GDALDatasetReleaseResultSet(handle, layer) }
        let definition = OGR_L_GetLayerDefn(layer)
        let schema = FieldSchema((0..<OGR_FD_GetFieldCount(definition)).map {
            String(cString: OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(definition, $0)))
        })
        var rows: [VectorFeature] = []
        while let feature = OGR_L_GetNextFeature(layer) {
            defer { OGR_F_Destroy(feature) }
            rows.append(try Self.read(feature, schema))
        }
        return rows
    }

    /// Runs `body` in one dataset transaction (for a GeoPackage: one SQLite transaction): all of
    /// it is committed, or — when `body` throws — none of it.
    /// - Throws: whatever `body` throws, or `GeoError.vector` when the transaction cannot start
    ///   or commit.
    public func transaction<R>(_ body: () throws -> R) throws -> R {
        GDALRuntime.resetError()
        guard GDALDatasetStartTransaction(handle, 0) == OGRERR_NONE else {
            throw GeoError.vector(file: path, message: GDALRuntime.lastError("cannot start a transaction"))
        }
        let result: R
        do {
            result = try body()
        } catch {
            GDALDatasetRollbackTransaction(handle)
            throw error
        }
        GDALRuntime.resetError()
        guard GDALDatasetCommitTransaction(handle) == OGRERR_NONE else {
            throw GeoError.vector(file: path, message: GDALRuntime.lastError("commit failed"))
        }
        return result
    }

    /// Creates a layer (or, with `geometry: .none`, an attribute table) in a dataset opened for update.
    /// - Throws: `GeoError.vector` with GDAL's message.
    public func createLayer(_ name: String, geometry: GeometryKind, crs: CRS?, fields: [FieldDefinition],
                            options: [String] = []) throws {
        _ = try OGRLayerFactory.create(in: handle, path: path, name: name, geometry: geometry, crs: crs, fields: fields, options: options)
    }

    /// Appends features to an existing layer. `fields` names the fields `values` follow, in
    /// order; fields not named stay null.
    /// - Throws: `GeoError.vector` naming the layer, a missing field or the failing feature.
    public func append(layer name: String, fields: [String], features: [(geometry: Geometry?, values: [FieldValue])]) throws {
        let layer = try layerHandle(name)
        let definition = OGR_L_GetLayerDefn(layer)
        let indices = fields.map { OGR_FD_GetFieldIndex(definition, $0) }
        if let missing = zip(fields, indices).first(where: { $0.1 < 0 }) {
            throw GeoError.vector(file: path, message: "layer '\(name)' has no field '\(missing.0)'")
        }
        // One feature object reused for every row: set every field, the geometry and a new FID.
        guard let feature = OGR_F_Create(definition) else {
            throw GeoError.vector(file: path, message: "layer '\(name)': cannot create a feature")
        }
        defer { OGR_F_Destroy(feature) }
        for (index, item) in features.enumerated() {
            OGR_F_SetFID(feature, GIntBig(OGRNullFID))
            for (value, field) in zip(item.values, indices) {
                switch value {
                case .null: OGR_F_SetFieldNull(feature, field)
                case .string(let s): OGR_F_SetFieldString(feature, field, s)
                case .integer(let v): OGR_F_SetFieldInteger64(feature, field, v)
                case .real(let v): OGR_F_SetFieldDouble(feature, field, v)
                }
            }
            OGR_F_SetGeometryDirectly(feature, item.geometry.flatMap { OGRGeometryWriter.make($0) })
            GDALRuntime.resetError()
            guard OGR_L_CreateFeature(layer, feature) == OGRERR_NONE else {
                throw GeoError.vector(file: path, message: "layer '\(name)' feature \(index): " + GDALRuntime.lastError("cannot write"))
            }
        }
    }

    /// Writes everything GDAL holds in memory for this dataset to the file.
    public func flush() {
        GDALFlushCache(handle)
    }
}

extension VectorDataset {
    /// Deletes the features of a layer that match an OGR SQL attribute filter
    /// (e.g. `"site_id IN ('a','b')"`), one by one through the driver so that its bookkeeping
    /// (spatial index, feature counts) stays right.
    /// - Returns: how many features were deleted.
    /// - Throws: `GeoError.vector` naming the layer, with GDAL's message.
    @discardableResult
    public func delete(layer name: String, where filter: String) throws -> Int {
        let layer = try layerHandle(name)
        GDALRuntime.resetError()
        guard OGR_L_SetAttributeFilter(layer, filter) == OGRERR_NONE else {
            throw GeoError.vector(file: path, message: "layer '\(name)': bad filter: " + GDALRuntime.lastError(filter))
        }
        defer { OGR_L_SetAttributeFilter(layer, nil) }
        OGR_L_ResetReading(layer)
        var fids: [GIntBig] = []
        while let feature = OGR_L_GetNextFeature(layer) {
            fids.append(OGR_F_GetFID(feature))
            OGR_F_Destroy(feature)
        }
        for fid in fids {
            guard OGR_L_DeleteFeature(layer, fid) == OGRERR_NONE else {
                throw GeoError.vector(file: path, message: "layer '\(name)' feature \(fid): " + GDALRuntime.lastError("cannot delete"))
            }
        }
        return fids.count
    }
}
