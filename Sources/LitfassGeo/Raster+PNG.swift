import Foundation
internal import CGDAL

/// What a raster file holds, as GDAL reads it back: size, CRS, geotransform, bands and metadata.
/// Used to check written outputs (tests, `litfass` self-checks) without a GDAL dependency elsewhere.
public struct RasterFileInfo: Sendable {
    /// The GDAL driver that opened the file, e.g. "GTiff", "PNG".
    public var driver: String
    public var columns: Int
    public var rows: Int
    /// EPSG code of the CRS, nil when none is declared or recognised.
    public var epsg: Int?
    /// GDAL's affine geotransform [minX, cell, 0, maxY, 0, −cell].
    public var geoTransform: [Double]
    /// Per band: description (QGIS shows it as the band name), nodata value, data type name.
    public var bands: [Band]
    /// Dataset metadata (default domain).
    public var metadata: [String: String]
    /// The layout of the file (GDAL's "IMAGE_STRUCTURE" domain `LAYOUT`), "COG" for a Cloud-Optimised GeoTIFF.
    public var layout: String?

    /// One band of a raster file.
    public struct Band: Sendable {
        public var description: String
        public var noDataValue: Double?
        /// GDAL data type name, e.g. "Float32", "Byte".
        public var dataType: String
    }
}

extension RasterIO {
    /// Writes an 8-bit RGBA image as a PNG through GDAL (MEM dataset, `GDALCreateCopy` with the PNG driver). An image
    /// whose every pixel is opaque is written as RGB: the same picture in every viewer, a quarter fewer bytes for libpng's
    /// row filters and zlib (the six previews of a one-site run ≈ 20 % less CPU).
    /// - Parameters:
    ///   - rgba: `width × height × 4` bytes, row-major from the top row, R, G, B, A per pixel.
    ///   - width, height: image size [pixels].
    /// - Throws: `GeoError.raster` with GDAL's message.
    public static func writePNG(path: String, rgba: [UInt8], width: Int, height: Int) throws {
        GDALRuntime.ensure()
        precondition(rgba.count == width * height * 4, "RGBA buffer does not match the image size")
        guard let memoryDriver = GDALGetDriverByName("MEM"), let pngDriver = GDALGetDriverByName("PNG") else {
            throw GeoError.raster(file: path, message: "GDAL has no MEM or PNG driver")
        }
        GDALRuntime.resetError()
        guard let memory = GDALCreate(memoryDriver, "", Int32(width), Int32(height), 0, GDT_Byte, nil) else {
            throw GeoError.raster(file: path, message: GDALRuntime.lastError("cannot create an in-memory image"))
        }
        defer { GDALClose(memory) }
        // The bands (three when opaque, else four) wrap the interleaved buffer itself (pixel stride 4 bytes, band b at byte b): no copy; GDAL
        // only reads through the pointers, all within this closure.
        try rgba.withUnsafeBytes { bytes in
            var opaque = true
            var i = 3
            while i < bytes.count { if bytes[i] != 255 { opaque = false; break }; i &+= 4 }
            for band in 0..<(opaque ? 3 : 4) {
                let address = UInt(bitPattern: bytes.baseAddress! + band)
                let added = withCStringList(["DATAPOINTER=0x" + String(address, radix: 16), "PIXELOFFSET=4", "LINEOFFSET=\(4 * width)"]) {
                    GDALAddBand(memory, GDT_Byte, $0)
                }
                guard added == CE_None else { throw GeoError.raster(file: path, message: GDALRuntime.lastError("cannot wrap the image")) }
                GDALSetRasterColorInterpretation(GDALGetRasterBand(memory, Int32(band + 1)), [GCI_RedBand, GCI_GreenBand, GCI_BlueBand, GCI_AlphaBand][band])
            }
            // zlib level 3: previews are written several times faster than at the default 6, a few per cent larger.
            let copy = withCStringList(["ZLEVEL=3"]) { GDALCreateCopy(pngDriver, path, memory, 0, $0, nil, nil) }
            guard let copy else {
                throw GeoError.raster(file: path, message: GDALRuntime.lastError("cannot write PNG"))
            }
            GDALClose(copy)
        }
        // The PNG driver writes a .aux.xml beside the file for what PNG cannot hold; Litfass needs none.
        try? FileManager.default.removeItem(atPath: path + ".aux.xml")
    }

    /// Reads what a raster file holds (size, CRS, bands, metadata) without reading its pixels.
    /// - Throws: `GeoError.raster` naming the file.
    public static func info(path: String) throws -> RasterFileInfo {
        GDALRuntime.ensure()
        guard FileManager.default.fileExists(atPath: path) else { throw GeoError.raster(file: path, message: "no such file") }
        GDALRuntime.resetError()
        guard let ds = GDALOpenEx(path, UInt32(GDAL_OF_RASTER), nil, nil, nil) else {
            throw GeoError.raster(file: path, message: GDALRuntime.lastError("not a raster GDAL can read"))
        }
        defer { GDALClose(ds) }
        var transform = [Double](repeating: 0, count: 6)
        _ = GDALGetGeoTransform(ds, &transform)
        var epsg: Int?
        if let srs = GDALGetSpatialRef(ds), let code = OSRGetAuthorityCode(srs, nil) { epsg = Int(String(cString: code)) }
        var bands: [RasterFileInfo.Band] = []
        for index in 0..<GDALGetRasterCount(ds) {
            let band = GDALGetRasterBand(ds, index + 1)
            var hasNoData: Int32 = 0
            let noData = GDALGetRasterNoDataValue(band, &hasNoData)
            let description = GDALGetDescription(band).map { String(cString: $0) } ?? ""
            let type = GDALGetDataTypeName(GDALGetRasterDataType(band)).map { String(cString: $0) } ?? "?"
            bands.append(.init(description: description, noDataValue: hasNoData != 0 ? noData : nil, dataType: type))
        }
        var metadata: [String: String] = [:]
        if let list = GDALGetMetadata(ds, nil) {
            var pointer = list
            while let entry = pointer.pointee {
                let text = String(cString: entry)
                if let separator = text.firstIndex(of: "=") {
                    metadata[String(text[..<separator])] = String(text[text.index(after: separator)...])
                }
                pointer += 1
            }
        }
        let layout = GDALGetMetadataItem(ds, "LAYOUT", "IMAGE_STRUCTURE").map { String(cString: $0) }
        let driver = GDALGetDatasetDriver(ds).flatMap { GDALGetDriverShortName($0) }.map { String(cString: $0) } ?? ""
        return RasterFileInfo(driver: driver, columns: Int(GDALGetRasterXSize(ds)), rows: Int(GDALGetRasterYSize(ds)),
                              epsg: epsg, geoTransform: transform, bands: bands, metadata: metadata, layout: layout)
    }

    /// Reads one band of a raster file as it is stored (no resampling), row-major from the top row.
    /// - Parameter band: 1-based band number.
    /// - Throws: `GeoError.raster` naming the file.
    public static func readBand(path: String, band: Int = 1) throws -> [Float] {
        GDALRuntime.ensure()
        guard FileManager.default.fileExists(atPath: path) else { throw GeoError.raster(file: path, message: "no such file") }
        GDALRuntime.resetError()
        guard let ds = GDALOpenEx(path, UInt32(GDAL_OF_RASTER), nil, nil, nil) else {
            throw GeoError.raster(file: path, message: GDALRuntime.lastError("not a raster GDAL can read"))
        }
        defer { GDALClose(ds) }
        guard band >= 1, band <= Int(GDALGetRasterCount(ds)) else {
            throw GeoError.raster(file: path, message: "no band \(band) (the file has \(GDALGetRasterCount(ds)))")
        }
        let columns = Int(GDALGetRasterXSize(ds)), rows = Int(GDALGetRasterYSize(ds))
        var values = [Float](repeating: 0, count: columns * rows)
        let error = values.withUnsafeMutableBytes { bytes in
            GDALRasterIO(GDALGetRasterBand(ds, Int32(band)), GF_Read, 0, 0, Int32(columns), Int32(rows), bytes.baseAddress,
                         Int32(columns), Int32(rows), GDT_Float32, 0, 0)
        }
        guard error == CE_None else { throw GeoError.raster(file: path, message: GDALRuntime.lastError("read failed")) }
        return values
    }
}
