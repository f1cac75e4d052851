import Foundation
import LitfassCoverage
import LitfassGeo
import LitfassScenario

/// The RSRP maps of a folder written by `litfass coverage`, for the page's map and for GIS tools.
///
/// Per operator of the scenario with a `<operator>-rsrp.tif` in the folder: the file's bytes as they are (the
/// Cloud-Optimised GeoTIFF, all bands), and a colour PNG of band 1 (the strongest carrier) resampled onto a
/// longitude/latitude grid with its WGS84 bounds, for a Leaflet image overlay. Colours are the RSRP previews'
/// (`RSRPColours`: viridis −130…−50 dBm per RE, clamped); nodata (no service) is transparent.
/// Everything is read and drawn once at start: a request only picks one of these by operator.
public struct CoverageOverlays: Sendable {
    /// One operator's RSRP map.
    public struct Layer: Sendable {
        /// The operator's name and its file stem (`CoverageWriter.slug`), used in the URLs.
        public var operatorName: String
        public var slug: String
        /// The GeoTIFF as written by `litfass coverage`.
        public var tiff: Data
        /// The colour overlay (RGBA PNG), `width × height` pixels, the raster's columns and rows.
        public var png: Data
        public var width: Int
        public var height: Int
        /// The overlay's extent: [west, south, east, north] in WGS84 degrees, the bounding box of the raster's outline.
        public var bounds: [Double]
        /// The raster's cell size [m].
        public var cellSizeMeters: Double
    }

    /// The folder the maps come from; nil when none was given or they were computed at start.
    public let directory: String?
    /// Where the maps come from, in words for the page ("the folder …", "computed at start on a 20 m grid"); nil
    /// without maps.
    public let source: String?
    public let layers: [Layer]
    /// Operators of the scenario with no RSRP map in the folder.
    public let missingOperators: [String]

    /// No coverage maps.
    public init() {
        directory = nil
        source = nil
        layers = []
        missingOperators = []
    }

    /// Reads the RSRP maps of `operators` from `directory`.
    /// - Throws: `ServeError.coverage` when the folder does not exist, holds no RSRP map of any of the operators, or
    ///   a map cannot be read or is not in a projected CRS with square cells.
    public init(directory: String, operators: [String]) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), isFolder.boolValue else {
            throw ServeError.coverage("--coverage expects a folder written by 'litfass coverage', got '\(directory)' (no such folder)")
        }
        let found = operators.map { name -> (name: String, slug: String, path: String?) in
            let slug = CoverageWriter.slug(name)
            let path = URL(fileURLWithPath: directory).appendingPathComponent("\(slug)-rsrp.tif").path
            return (name, slug, FileManager.default.fileExists(atPath: path) ? path : nil)
        }
        let missing = found.filter { $0.path == nil }.map(\.name)
        let present = found.compactMap { f in f.path.map { (f.name, f.slug, $0) } }
        // One operator per thread (each with its own PROJ transformations); the layers keep the operators' order.
        let slots = LayerSlots(count: present.count)
        DispatchQueue.concurrentPerform(iterations: present.count) { k in
            slots.set(k, Result { try Self.layer(operatorName: present[k].0, slug: present[k].1, path: present[k].2) })
        }
        let layers = try slots.results.map { try $0!.get() }
        guard !layers.isEmpty else {
            throw ServeError.coverage("'\(directory)' holds no RSRP map of this scenario's operators (expected "
                                      + operators.map { "\(CoverageWriter.slug($0))-rsrp.tif" }.joined(separator: ", ")
                                      + "); write one with 'litfass coverage --out \(directory)'")
        }
        self.directory = directory
        source = "the folder \(directory), written by 'litfass coverage'"
        self.layers = layers
        missingOperators = missing
    }

    private init(computedOn resolutionMeters: Double, from other: CoverageOverlays) {
        directory = nil
        source = "computed at start on a coarse \(Int(resolutionMeters)) m grid (for the planner's maps: litfass serve --coverage DIR)"
        layers = other.layers
        missingOperators = other.missingOperators
    }

    /// Computes the scenario's RSRP maps on a coarse grid (the same `CoverageRun` and `CoverageWriter` as
    /// `litfass coverage --resolution M --no-previews`, in a temporary folder removed afterwards) and reads them as
    /// `init(directory:operators:)` does. No maps (and no error) when the scenario has no mobile sites.
    /// - Throws: `CoverageError` when the maps cannot be computed or written, `ServeError.coverage` when not read.
    public static func computed(scenario: Scenario, resolutionMeters: Double) throws -> CoverageOverlays {
        var options = CoverageOptions()
        options.resolutionMeters = resolutionMeters
        options.requiresSectors = false
        let result = try CoverageRun(scenario: scenario, options: options).run()
        guard !result.operators.isEmpty else { return CoverageOverlays() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("litfass-serve-coverage-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try CoverageWriter(previews: false).write(result, to: folder)
        return CoverageOverlays(computedOn: resolutionMeters, from: try CoverageOverlays(directory: folder, operators: scenario.operatorNames))
    }

    /// The layer of a slug; nil when there is none.
    public func layer(slug: String) -> Layer? { layers.first { $0.slug == slug } }

    static func layer(operatorName: String, slug: String, path: String) throws -> Layer {
        do {
            let info = try RasterIO.info(path: path)
            let t = info.geoTransform
            guard let epsg = info.epsg, epsg != 4326, t.count == 6, t[1] > 0, t[2] == 0, t[4] == 0, t[5] == -t[1] else {
                throw ServeError.coverage("'\(path)': expected a north-up raster with square cells in a projected CRS, as 'litfass coverage' writes")
            }
            let values = try RasterIO.readBand(path: path, band: 1)
            let noData = info.bands.first?.noDataValue.map(Float.init)
            let columns = info.columns, rows = info.rows
            let minX = t[0], maxY = t[3], cell = t[1]
            let maxX = minX + Double(columns) * cell, minY = maxY - Double(rows) * cell
            let toWGS84 = try Projection(from: CRS(epsg: epsg), to: .wgs84)
            let fromWGS84 = try Projection(from: .wgs84, to: CRS(epsg: epsg))
            // The outline (every cell edge along the four sides) in WGS84; its bounding box is the overlay's extent.
            var outline: [MapPoint] = []
            for i in 0...columns {
                let x = minX + Double(i) * cell
                outline += [MapPoint(x: x, y: minY), MapPoint(x: x, y: maxY)]
            }
            for j in 0...rows {
                let y = maxY - Double(j) * cell
                outline += [MapPoint(x: minX, y: y), MapPoint(x: maxX, y: y)]
            }
            let corners = try toWGS84.toLonLat(outline)
            let west = corners.map(\.lon).min()!, east = corners.map(\.lon).max()!
            let south = corners.map(\.lat).min()!, north = corners.map(\.lat).max()!
            // Each overlay pixel takes the raster cell under its centre (nearest neighbour); the pixel grid is even in
            // longitude and latitude (Leaflet stretches it evenly in Web Mercator: over a few kilometres the two differ
            // by well under a metre).
            let width = columns, height = rows
            var centres: [LonLat] = []
            centres.reserveCapacity(width * height)
            for j in 0..<height {
                let lat = north - (Double(j) + 0.5) * (north - south) / Double(height)
                for i in 0..<width { centres.append(LonLat(lon: west + (Double(i) + 0.5) * (east - west) / Double(width), lat: lat)) }
            }
            let points = try fromWGS84.forward(centres)
            var rgba = [UInt8](repeating: 0, count: width * height * 4)
            for (k, p) in points.enumerated() {
                let c = Int(((p.x - minX) / cell).rounded(.down)), r = Int(((maxY - p.y) / cell).rounded(.down))
                guard c >= 0, c < columns, r >= 0, r < rows else { continue }
                let v = values[r * columns + c]
                guard v.isFinite, v != noData else { continue }
                let colour = RSRPColours.rgb(Double(v))
                rgba[4 * k] = colour.r; rgba[4 * k + 1] = colour.g; rgba[4 * k + 2] = colour.b; rgba[4 * k + 3] = 255
            }
            let png = try Self.pngData(rgba: rgba, width: width, height: height)
            let tiff = try Data(contentsOf: URL(fileURLWithPath: path))
            return Layer(operatorName: operatorName, slug: slug, tiff: tiff, png: png, width: width, height: height,
                         bounds: [west, south, east, north], cellSizeMeters: cell)
        } catch let error as ServeError {
            throw error
        } catch {
            throw ServeError.coverage("cannot read the RSRP map '\(path)': \(error)")
        }
    }

    /// Results written from `concurrentPerform`'s threads, one slot each.
    final class LayerSlots: @unchecked Sendable {
        private(set) var results: [Result<Layer, any Error>?]
        private let lock = NSLock()
        init(count: Int) { results = Array(repeating: nil, count: count) }
        func set(_ k: Int, _ result: Result<Layer, any Error>) {
            lock.lock(); results[k] = result; lock.unlock()
        }
    }

    /// PNG bytes of an RGBA image (GDAL's PNG driver through a temporary file, removed again).
    static func pngData(rgba: [UInt8], width: Int, height: Int) throws -> Data {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("litfass-overlay-\(UUID().uuidString).png").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try RasterIO.writePNG(path: file, rgba: rgba, width: width, height: height)
        return try Data(contentsOf: URL(fileURLWithPath: file))
    }
}
