import Foundation
internal import CGDAL

extension RasterIO {
    /// Builds a mosaic of rasters that share a grid lattice, bands and nodata (the tiles of a plan): a GDAL VRT over
    /// them (`GDALBuildVRT`, every band, the sources' nodata) at `vrtPath`, and from it a Cloud-Optimised GeoTIFF
    /// (`GDALTranslate` to the COG driver: 512 × 512 tiles, DEFLATE level 1 with the floating-point predictor, sparse
    /// tiles not stored, overviews halved until one fits a tile) at `cogPath`. Both are written beside their target
    /// first and renamed into place, so each file is whole or absent.
    /// - Parameters:
    ///   - sources: the rasters, in any order (they must not overlap).
    ///   - overviews: resampling of the COG's overviews.
    ///   - threads: compression threads; the file is the same for any count.
    /// - Throws: `GeoError.raster` naming the file with GDAL's message.
    public static func writeMosaic(sources: [String], vrtPath: String, cogPath: String, overviews: OverviewResampling, threads: Int = 1) throws {
        GDALRuntime.ensure()
        precondition(!sources.isEmpty, "a mosaic needs sources")
        try OutputTarget.check(vrtPath)
        try OutputTarget.check(cogPath)
        GDALRuntime.resetError()
        let vrtTemporary = vrtPath + ".partial.vrt"
        let buildOptions = withCStringList(["-r", "nearest"]) { GDALBuildVRTOptionsNew($0, nil) }
        defer { GDALBuildVRTOptionsFree(buildOptions) }
        var usage: Int32 = 0
        // The VRT names its sources relative to its own folder where it can; written at its final folder so they resolve.
        let vrt = withConstCStringList(sources) { names in
            GDALBuildVRT(vrtTemporary, Int32(sources.count), nil, names, buildOptions, &usage)
        }
        guard let vrt else { throw GeoError.raster(file: vrtPath, message: GDALRuntime.lastError("cannot build the VRT")) }
        GDALClose(vrt)
        guard rename(vrtTemporary, vrtPath) == 0 else {
            throw GeoError.output(file: vrtPath, message: "cannot move into place: \(String(cString: strerror(errno)))")
        }
        guard let source = GDALOpenEx(vrtPath, UInt32(GDAL_OF_RASTER), nil, nil, nil) else {
            throw GeoError.raster(file: vrtPath, message: GDALRuntime.lastError("cannot open the VRT"))
        }
        defer { GDALClose(source) }
        let cogTemporary = cogPath + ".partial.tif"
        let arguments = ["-of", "COG", "-co", "COMPRESS=DEFLATE", "-co", "LEVEL=1", "-co", "PREDICTOR=YES", "-co", "SPARSE_OK=TRUE",
                         "-co", "OVERVIEW_RESAMPLING=\(overviews.rawValue)", "-co", "NUM_THREADS=\(max(1, threads))"]
        let translateOptions = withCStringList(arguments) { GDALTranslateOptionsNew($0, nil) }
        defer { GDALTranslateOptionsFree(translateOptions) }
        guard let cog = GDALTranslate(cogTemporary, source, translateOptions, &usage) else {
            unlink(cogTemporary)
            throw GeoError.raster(file: cogPath, message: GDALRuntime.lastError("cannot write the COG"))
        }
        GDALClose(cog)
        guard rename(cogTemporary, cogPath) == 0 else {
            throw GeoError.output(file: cogPath, message: "cannot move into place: \(String(cString: strerror(errno)))")
        }
    }
}

extension RasterIO {
    /// Every band of a raster as stored (no resampling), with its grid (north-up rasters only; CRS taken as EPSG:25832).
    /// - Throws: `GeoError.raster` naming the file.
    public static func readBands(path: String) throws -> (grid: RasterGrid, bands: [[Float]]) {
        GDALRuntime.ensure()
        GDALRuntime.resetError()
        guard let ds = GDALOpenEx(path, UInt32(GDAL_OF_RASTER), nil, nil, nil) else {
            throw GeoError.raster(file: path, message: GDALRuntime.lastError("not a raster GDAL can read"))
        }
        defer { GDALClose(ds) }
        var t = [Double](repeating: 0, count: 6)
        guard GDALGetGeoTransform(ds, &t) == CE_None, t[2] == 0, t[4] == 0, t[1] == -t[5] else {
            throw GeoError.raster(file: path, message: "not a north-up raster with square cells")
        }
        let columns = Int(GDALGetRasterXSize(ds)), rows = Int(GDALGetRasterYSize(ds))
        let grid = RasterGrid(minX: t[0], maxY: t[3], cellSizeMeters: t[1], columns: columns, rows: rows)
        var bands: [[Float]] = []
        for b in 1...max(1, Int(GDALGetRasterCount(ds))) {
            var values = [Float](repeating: 0, count: columns * rows)
            let error = values.withUnsafeMutableBytes { bytes in
                GDALRasterIO(GDALGetRasterBand(ds, Int32(b)), GF_Read, 0, 0, Int32(columns), Int32(rows), bytes.baseAddress,
                             Int32(columns), Int32(rows), GDT_Float32, 0, 0)
            }
            guard error == CE_None else { throw GeoError.raster(file: path, message: GDALRuntime.lastError("read failed")) }
            bands.append(values)
        }
        return (grid, bands)
    }
}
