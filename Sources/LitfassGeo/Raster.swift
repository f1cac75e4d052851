import Foundation
internal import CGDAL

/// One band of a raster to write: values row by row (row 0 north), a nodata value and a description.
public struct RasterBand: Sendable {
    public var values: [Float]
    public var noDataValue: Float?
    /// Shown by QGIS as the band name, e.g. "RSRP [dBm]".
    public var description: String

    public init(values: [Float], noDataValue: Float?, description: String) {
        self.values = values
        self.noDataValue = noDataValue
        self.description = description
    }
}

/// How the overviews of a GeoTIFF are computed from the full resolution.
public enum OverviewResampling: String, Sendable {
    /// One of the cells (categories, e.g. a best-server index).
    case nearest = "NEAREST"
    /// Mean of the cells that hold data (continuous quantities).
    case average = "AVERAGE"
}

/// Raster input and output through GDAL.
public enum RasterIO {
    /// The GDAL release that reads, writes and rasterises (e.g. "3.6.2"): part of what cached rasters depend on.
    public static var gdalRelease: String { GDALRuntime.release }

    /// Writes a Cloud-Optimised GeoTIFF (GDAL's COG driver: 512 × 512 tiles, ZSTD level 1 with horizontal
    /// differencing, predictor 2) with the grid's CRS, nodata values, band descriptions and dataset metadata.
    /// Tiles whose cells are all nodata (or all 0 without nodata) are not stored (`SPARSE_OK`; readers
    /// return nodata for them, so the values read back are the same).
    /// - Parameters:
    ///   - overviews: resampling of the overviews (halved until a level fits one tile); nil for none.
    ///   - threads: compression threads (`NUM_THREADS`); tiles are compressed independently, so the
    ///     file is the same for any count.
    /// - Throws: `GeoError.raster` with GDAL's message.
    public static func writeGeoTIFF(path: String, grid: RasterGrid, bands: [RasterBand], metadata: [String: String] = [:],
                                    overviews: OverviewResampling? = nil, threads: Int = 1) throws {
        GDALRuntime.ensure()
        for band in bands { precondition(band.values.count == grid.cellCount, "band size does not match the grid") }
        // The MEM source reads the bands' own storage (no copy of the values); they stay pinned until the copy is written.
        try withPinnedBands(bands) { pointers in
            let memory = try makeMemoryDataset(grid: grid, bands: bands, wrapping: pointers, metadata: metadata, path: path)
            defer { GDALClose(memory) }
            try writeCOG(from: memory, path: path, grid: grid, bands: bands, pointers: pointers, overviews: overviews, threads: threads)
        }
    }

    /// Calls `body` with the base addresses of every band's values, valid for the call.
    private static func withPinnedBands<R>(_ bands: [RasterBand], _ body: ([UnsafeRawPointer]) throws -> R) rethrows -> R {
        func pin(_ k: Int, _ pointers: [UnsafeRawPointer]) throws -> R {
            guard k < bands.count else { return try body(pointers) }
            return try bands[k].values.withUnsafeBytes { try pin(k + 1, pointers + [$0.baseAddress!]) }
        }
        return try pin(0, [])
    }

    /// Copies a MEM dataset into a COG at `path` (see `writeGeoTIFF`).
    private static func writeCOG(from memory: GDALDatasetH, path: String, grid: RasterGrid, bands: [RasterBand], pointers: [UnsafeRawPointer],
                                 overviews: OverviewResampling?, threads: Int) throws {
        guard let cog = GDALGetDriverByName("COG") ?? GDALGetDriverByName("GTiff") else {
            throw GeoError.raster(file: path, message: "GDAL has no GeoTIFF driver")
        }
        GDALRuntime.resetError()
        // ZSTD level 1 with horizontal differencing (predictor 2): the six one-site GeoTIFFs (13 Float32 bands of 2.86 M
        // cells, overviews included) take about half the CPU time of DEFLATE level 1 with the floating-point predictor
        // (0.6 s against 1.3 s); files 9 % smaller there, 13 % larger on the default scenario (docs/KERNEL.md §8).
        // GDAL ≥ 2.3 and libtiff ≥ 4.0.10 read it (QGIS, rasterio).
        let codec = ["COMPRESS=ZSTD", "LEVEL=1", "PREDICTOR=2"]
        var options = codec + ["SPARSE_OK=TRUE", "NUM_THREADS=\(max(1, threads))"]
        if let overviews {
            // Built in memory on the source (halved until a level fits one 512-tile, as the COG driver's AUTO does), so
            // the COG driver copies them instead of writing and re-reading a temporary file.
            var levels: [Int32] = []
            var factor = 1
            while (max(grid.columns, grid.rows) + factor - 1) / factor > 512 {
                factor *= 2
                levels.append(Int32(factor))
            }
            if !levels.isEmpty {
                // Averages are computed here, GDAL's values without touching the nodata areas and once for bands
                // that are equal (`AverageOverview`); GDAL only creates the levels ("NONE"). Nearest: GDAL computes them.
                let ours = overviews == .average && bands.allSatisfy { !($0.noDataValue?.isNaN ?? false) }
                let built = GDALBuildOverviews(memory, ours ? "NONE" : overviews.rawValue, Int32(levels.count), &levels, 0, nil, nil, nil)
                guard built == CE_None else { throw GeoError.raster(file: path, message: GDALRuntime.lastError("cannot compute the overviews")) }
                if ours { try fillAverageOverviews(memory, path: path, grid: grid, bands: bands, pointers: pointers, factors: levels.map(Int.init)) }
            }
            options += ["OVERVIEWS=FORCE_USE_EXISTING", "OVERVIEW_COMPRESS=ZSTD", "OVERVIEW_PREDICTOR=2"]
        } else {
            options.append("OVERVIEWS=NONE")
        }
        let copy = withCStringList(options) { GDALCreateCopy(cog, path, memory, 0, $0, nil, nil) }
        guard let copy else { throw GeoError.raster(file: path, message: GDALRuntime.lastError("cannot write GeoTIFF")) }
        GDALClose(copy)
    }

    /// Writes `AverageOverview` levels of every band into the MEM dataset's overviews (created, not computed, by
    /// GDAL). A band equal to an earlier one (an operator's combination and its only carrier; the surface and building
    /// heights on flat ground) reuses its levels.
    private static func fillAverageOverviews(_ memory: GDALDatasetH, path: String, grid: RasterGrid, bands: [RasterBand],
                                             pointers: [UnsafeRawPointer], factors: [Int]) throws {
        var computed: [[[Float]]] = []
        for (k, band) in bands.enumerated() {
            let source = UnsafeBufferPointer(start: pointers[k].assumingMemoryBound(to: Float.self), count: grid.cellCount)
            let levels: [[Float]]
            if let same = (0..<k).first(where: { bands[$0].noDataValue == band.noDataValue && memcmp(pointers[$0], pointers[k], 4 * grid.cellCount) == 0 }) {
                levels = computed[same]
            } else if let noData = band.noDataValue {
                let spans = AverageOverview.RowSpans(source, columns: grid.columns, rows: grid.rows, noData: noData)
                levels = factors.map { AverageOverview.level(source, columns: grid.columns, rows: grid.rows, factor: $0, noData: noData, spans: spans) }
            } else {
                levels = factors.map { AverageOverview.levelWithoutNoData(source, columns: grid.columns, rows: grid.rows, factor: $0) }
            }
            computed.append(levels)
            let handle = GDALGetRasterBand(memory, Int32(k + 1))
            for (i, factor) in factors.enumerated() {
                let (w, h) = AverageOverview.size(columns: grid.columns, rows: grid.rows, factor: factor)
                guard let overview = GDALGetOverview(handle, Int32(i)), Int(GDALGetRasterBandXSize(overview)) == w,
                      Int(GDALGetRasterBandYSize(overview)) == h else {
                    throw GeoError.raster(file: path, message: "GDAL created overview \(i + 1) with another size than \(w) × \(h)")
                }
                var values = levels[i]
                let error = values.withUnsafeMutableBytes {
                    GDALRasterIO(overview, GF_Write, 0, 0, Int32(w), Int32(h), $0.baseAddress, Int32(w), Int32(h), GDT_Float32, 0, 0)
                }
                guard error == CE_None else { throw GeoError.raster(file: path, message: GDALRuntime.lastError("cannot fill an overview")) }
            }
        }
    }

    /// GDAL's own AVERAGE overviews of one band (`GDALBuildOverviews` on a MEM dataset), the values `AverageOverview`
    /// reproduces: the reference its tests compare with.
    static func gdalAverageOverviews(_ band: RasterBand, grid: RasterGrid, factors: [Int]) throws -> [[Float]] {
        // (`makeMemoryDataset` sets the nodata value only when the band has one: GDAL then averages every cell.)
        GDALRuntime.ensure()
        return try withPinnedBands([band]) { pointers in
            let memory = try makeMemoryDataset(grid: grid, bands: [band], wrapping: pointers, metadata: [:], path: "(memory)")
            defer { GDALClose(memory) }
            var levels = factors.map(Int32.init)
            guard GDALBuildOverviews(memory, "AVERAGE", Int32(levels.count), &levels, 0, nil, nil, nil) == CE_None else {
                throw GeoError.raster(file: "(memory)", message: GDALRuntime.lastError("cannot compute the overviews"))
            }
            return try (0..<factors.count).map { try readBand(GDALGetOverview(GDALGetRasterBand(memory, 1), Int32($0)), path: "(memory)") }
        }
    }

    /// Opens an existing raster file for reading; the caller closes the handle (`GDALClose`).
    /// - Throws: `GeoError.raster` naming the file: no such file, or GDAL's reason it cannot read it.
    static func openForReading(path: String) throws -> GDALDatasetH {
        GDALRuntime.ensure()
        guard FileManager.default.fileExists(atPath: path) else { throw GeoError.raster(file: path, message: "no such file") }
        GDALRuntime.resetError()
        guard let ds = GDALOpenEx(path, UInt32(GDAL_OF_RASTER), nil, nil, nil) else {
            throw GeoError.raster(file: path, message: GDALRuntime.lastError("not a raster GDAL can read"))
        }
        return ds
    }

    /// The values of overview `level` (0 = the first) of band `band` of a raster file.
    static func readOverview(path: String, band: Int, level: Int) throws -> [Float] {
        GDALRuntime.ensure()
        guard let ds = GDALOpenEx(path, UInt32(GDAL_OF_RASTER), nil, nil, nil) else {
            throw GeoError.raster(file: path, message: GDALRuntime.lastError("not a raster GDAL can read"))
        }
        defer { GDALClose(ds) }
        return try readBand(GDALGetOverview(GDALGetRasterBand(ds, Int32(band)), Int32(level)), path: path)
    }

    /// All values of a band handle (nil: an error naming `path`).
    private static func readBand(_ handle: GDALRasterBandH?, path: String) throws -> [Float] {
        guard let handle else { throw GeoError.raster(file: path, message: "no such overview") }
        let w = GDALGetRasterBandXSize(handle), h = GDALGetRasterBandYSize(handle)
        var values = [Float](repeating: 0, count: Int(w) * Int(h))
        let error = values.withUnsafeMutableBytes { GDALRasterIO(handle, GF_Read, 0, 0, w, h, $0.baseAddress, w, h, GDT_Float32, 0, 0) }
        guard error == CE_None else { throw GeoError.raster(file: path, message: GDALRuntime.lastError("read failed")) }
        return values
    }

    /// A MEM dataset whose bands read `pointers[k]` (`grid.cellCount` Float32 values each) in place.
    static func makeMemoryDataset(grid: RasterGrid, bands: [RasterBand], wrapping pointers: [UnsafeRawPointer], metadata: [String: String],
                                  path: String) throws -> GDALDatasetH {
        guard let driver = GDALGetDriverByName("MEM"),
              let ds = GDALCreate(driver, "", Int32(grid.columns), Int32(grid.rows), 0, GDT_Float32, nil) else {
            throw GeoError.raster(file: path, message: GDALRuntime.lastError("cannot create an in-memory raster"))
        }
        describe(ds, grid: grid, metadata: metadata)
        for (index, band) in bands.enumerated() {
            let added = withCStringList(["DATAPOINTER=0x" + String(UInt(bitPattern: pointers[index]), radix: 16),
                                         "PIXELOFFSET=4", "LINEOFFSET=\(4 * grid.columns)"]) { GDALAddBand(ds, GDT_Float32, $0) }
            guard added == CE_None else { GDALClose(ds); throw GeoError.raster(file: path, message: GDALRuntime.lastError("cannot wrap a band")) }
            let handle = GDALGetRasterBand(ds, Int32(index + 1))
            if let noData = band.noDataValue { GDALSetRasterNoDataValue(handle, Double(noData)) }
            GDALSetDescription(handle, band.description)
        }
        return ds
    }

    /// Sets the grid's geotransform and CRS and the dataset metadata.
    private static func describe(_ ds: GDALDatasetH, grid: RasterGrid, metadata: [String: String]) {
        var transform = grid.geoTransform
        GDALSetGeoTransform(ds, &transform)
        let srs = OSRNewSpatialReference(nil)
        defer { OSRDestroySpatialReference(srs) }
        if OSRImportFromEPSG(srs, Int32(grid.crs.epsg)) == OGRERR_NONE {
            GDALSetSpatialRef(ds, srs)
        }
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            GDALSetMetadataItem(ds, key, value, nil)
        }
    }

    static func makeMemoryDataset(grid: RasterGrid, bands: [RasterBand], metadata: [String: String], path: String) throws -> GDALDatasetH {
        guard let driver = GDALGetDriverByName("MEM"),
              let ds = GDALCreate(driver, "", Int32(grid.columns), Int32(grid.rows), Int32(bands.count), GDT_Float32, nil) else {
            throw GeoError.raster(file: path, message: GDALRuntime.lastError("cannot create an in-memory raster"))
        }
        describe(ds, grid: grid, metadata: metadata)
        for (index, band) in bands.enumerated() {
            let handle = GDALGetRasterBand(ds, Int32(index + 1))
            // GF_Write only reads the buffer: no copy of the values on the Swift side.
            let error = band.values.withUnsafeBytes { bytes in
                GDALRasterIO(handle, GF_Write, 0, 0, Int32(grid.columns), Int32(grid.rows), UnsafeMutableRawPointer(mutating: bytes.baseAddress),
                             Int32(grid.columns), Int32(grid.rows), GDT_Float32, 0, 0)
            }
            guard error == CE_None else { GDALClose(ds); throw GeoError.raster(file: path, message: GDALRuntime.lastError("write failed")) }
            if let noData = band.noDataValue { GDALSetRasterNoDataValue(handle, Double(noData)) }
            GDALSetDescription(handle, band.description)
        }
        return ds
    }

    /// Reads band 1 of a raster (e.g. a terrain model GeoTIFF) resampled onto `grid` (bilinear;
    /// GDAL warps between CRSs when they differ). Cells without data get `fill`.
    /// - Throws: `GeoError.raster` naming the file.
    public static func read(path: String, onto grid: RasterGrid, fill: Float = 0) throws -> [Float] {
        let source = try openForReading(path: path)
        defer { GDALClose(source) }
        let target = try makeMemoryDataset(grid: grid, bands: [RasterBand(values: .init(repeating: fill, count: grid.cellCount),
                                                                     noDataValue: nil, description: "")], metadata: [:], path: path)
        defer { GDALClose(target) }
        GDALSetRasterNoDataValue(GDALGetRasterBand(target, 1), Double(fill))
        let options = withCStringList(["-r", "bilinear", "-dstnodata", String(fill)]) { GDALWarpAppOptionsNew($0, nil) }
        defer { GDALWarpAppOptionsFree(options) }
        var sources: [GDALDatasetH?] = [source]
        var failed: Int32 = 0
        guard GDALWarp(nil, target, 1, &sources, options, &failed) != nil, failed == 0 else {
            throw GeoError.raster(file: path, message: GDALRuntime.lastError("cannot resample onto the grid"))
        }
        var values = [Float](repeating: fill, count: grid.cellCount)
        let error = values.withUnsafeMutableBytes { bytes in
            GDALRasterIO(GDALGetRasterBand(target, 1), GF_Read, 0, 0, Int32(grid.columns), Int32(grid.rows), bytes.baseAddress,
                         Int32(grid.columns), Int32(grid.rows), GDT_Float32, 0, 0)
        }
        guard error == CE_None else { throw GeoError.raster(file: path, message: GDALRuntime.lastError("read failed")) }
        return values
    }

    /// Burns polygons into a grid (GDAL's rasteriser, `GDALRasterizeGeometries`): a cell takes the
    /// value of the last polygon covering its centre; other cells keep `background`.
    /// - Parameter allTouched: burn every cell a polygon touches, not only those whose centre it covers.
    /// - Throws: `GeoError.raster` with GDAL's message.
    public static func rasterize(_ polygons: [Polygon], values: [Double], onto grid: RasterGrid,
                                 background: Float = 0, allTouched: Bool = false) throws -> [Float] {
        try rasterize(polygons, values: [values], onto: grid, backgrounds: [background], allTouched: allTouched)[0]
    }

    /// Burns polygons into several rasters of one grid in one pass (each polygon converted once): raster `k`
    /// takes `values[k][i]` where polygon `i` is the last to cover a cell's centre, `backgrounds[k]` elsewhere.
    /// The same cells as one `rasterize` call per raster.
    /// - Throws: `GeoError.raster` with GDAL's message.
    public static func rasterize(_ polygons: [Polygon], values: [[Double]], onto grid: RasterGrid,
                                 backgrounds: [Float], allTouched: Bool = false) throws -> [[Float]] {
        precondition(values.count == backgrounds.count && values.allSatisfy { $0.count == polygons.count }, "one value per polygon and raster")
        GDALRuntime.ensure()
        let bandCount = values.count
        let target = try makeMemoryDataset(grid: grid, bands: backgrounds.map {
            RasterBand(values: .init(repeating: $0, count: grid.cellCount), noDataValue: nil, description: "")
        }, metadata: [:], path: "rasterize")
        defer { GDALClose(target) }
        var geometries: [OGRGeometryH?] = polygons.map { OGRGeometryWriter.make(.polygon($0)) }
        defer { for g in geometries { OGR_G_DestroyGeometry(g) } }
        // GDAL wants the burn values geometry by geometry, one per band.
        var burn = [Double](repeating: 0, count: polygons.count * bandCount)
        for i in polygons.indices { for k in 0..<bandCount { burn[i * bandCount + k] = values[k][i] } }
        var bandList = (1...bandCount).map { Int32($0) }
        let options = allTouched ? ["ALL_TOUCHED=TRUE"] : []
        let error = withCStringList(options) { opts in
            GDALRasterizeGeometries(target, Int32(bandCount), &bandList, Int32(geometries.count), &geometries, nil, nil, &burn, opts, nil, nil)
        }
        guard error == CE_None else { throw GeoError.raster(file: "rasterize", message: GDALRuntime.lastError("rasterisation failed")) }
        return (0..<bandCount).map { k in
            var result = [Float](repeating: backgrounds[k], count: grid.cellCount)
            _ = result.withUnsafeMutableBytes { bytes in
                GDALRasterIO(GDALGetRasterBand(target, Int32(k + 1)), GF_Read, 0, 0, Int32(grid.columns), Int32(grid.rows), bytes.baseAddress,
                             Int32(grid.columns), Int32(grid.rows), GDT_Float32, 0, 0)
            }
            return result
        }
    }
}
