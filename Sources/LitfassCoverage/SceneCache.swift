import Foundation
import LitfassGeo
import LitfassKernel
import LitfassScenario

/// Scenes kept between runs: the buildings rasterised onto a grid (`SceneBuilder.scene`) depend only on the
/// scenario's buildings and the grid, so a run over flat ground reads them from the cache folder when an earlier run
/// on the same buildings and grid stored them, instead of rasterising again.
///
/// A file `scene-<key>.bin` holds a header (magic, format version, grid size, key) and the building heights
/// (Float32) and building indices (Int32) of every cell, native byte order; the ground is flat (0 m). The key is
/// the SHA-256 of the format version, the grid (origin, cell size, size, CRS) and every building's index, height
/// and footprint coordinates (bit patterns), so a changed building, grid or format makes another file. A file that
/// does not match in every header field and in size is ignored and replaced; failing to store one is not an error
/// (the run goes on with the scene it built). The most recently used files are kept up to `keptBytes` together (the
/// newest always), older ones removed: at 8 bytes per cell the default scenario's 2 m grid takes 23 MB.
enum SceneCache {
    static let formatVersion: UInt32 = 1
    static let keptBytes = 256 << 20
    /// 16 bytes at the start of every file.
    static let magic = Array("LITFASS-SCENE-V\u{0}".utf8)
    /// magic, version, reserved, columns, rows, key (64 hex digits).
    static let headerBytes = 16 + 4 + 4 + 8 + 8 + 64

    /// The scene of `scenario` on `grid` over flat ground: read from `directory` when it holds it, else built and
    /// stored there.
    /// - Throws: `SceneBuilder.scene`'s errors when it has to build the scene.
    static func scene(for scenario: Scenario, grid: RasterGrid, directory: URL) throws -> Scene {
        let key = self.key(for: scenario, grid: grid)
        let path = directory.appendingPathComponent("scene-\(key.prefix(24)).bin").path
        if let scene = read(path: path, grid: grid, key: key) {
            utimes(path, nil)     // most recently used
            return scene
        }
        let (scene, _) = try SceneBuilder.scene(for: scenario, grid: grid, demPath: nil)
        store(scene, key: key, path: path, directory: directory)
        return scene
    }

    /// The cache key: SHA-256 (hex) of what the rasterised buildings depend on.
    static func key(for scenario: Scenario, grid: RasterGrid) -> String {
        var bytes: [UInt8] = []
        func put<T>(_ value: T) { withUnsafeBytes(of: value) { bytes.append(contentsOf: $0) } }
        put(formatVersion)
        put(grid.minX.bitPattern); put(grid.maxY.bitPattern); put(grid.cellSizeMeters.bitPattern)
        put(Int64(grid.columns)); put(Int64(grid.rows)); put(Int64(grid.crs.epsg))
        put(Int64(scenario.buildings.count))
        for (index, building) in scenario.buildings.enumerated() {
            put(Int64(index)); put(building.heightMeters.bitPattern); put(Int64(building.footprint.count))
            for polygon in building.footprint {
                for ring in [polygon.exterior] + polygon.holes {
                    put(Int64(ring.count))
                    for point in ring { put(point.x.bitPattern); put(point.y.bitPattern) }
                }
                put(Int64(-1))      // end of the polygon's rings
            }
        }
        return Checksum.sha256(Data(bytes))
    }

    static func header(grid: RasterGrid, key: String) -> [UInt8] {
        var bytes = magic
        func put<T>(_ value: T) { withUnsafeBytes(of: value) { bytes.append(contentsOf: $0) } }
        put(formatVersion); put(UInt32(0)); put(Int64(grid.columns)); put(Int64(grid.rows))
        bytes.append(contentsOf: Array(key.utf8))
        return bytes
    }

    /// The scene in the file, or nil when there is none or it does not match `grid` and `key` exactly.
    static func read(path: String, grid: RasterGrid, key: String) -> Scene? {
        let n = grid.cellCount
        let expected = header(grid: grid, key: key)
        guard expected.count == headerBytes else { return nil }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, Int(info.st_size) == headerBytes + 8 * n else { return nil }
        func readAll(_ buffer: UnsafeMutableRawBufferPointer) -> Bool {
            var done = 0
            while done < buffer.count {
                let got = Foundation.read(fd, buffer.baseAddress! + done, buffer.count - done)
                guard got > 0 else { return false }
                done += got
            }
            return true
        }
        var head = [UInt8](repeating: 0, count: headerBytes)
        guard head.withUnsafeMutableBytes(readAll), head == expected else { return nil }
        var complete = true
        let height = [Float](unsafeUninitializedCapacity: n) { buffer, count in
            complete = readAll(UnsafeMutableRawBufferPointer(buffer)); count = n
        }
        guard complete else { return nil }
        let index = [Int32](unsafeUninitializedCapacity: n) { buffer, count in
            complete = readAll(UnsafeMutableRawBufferPointer(buffer)); count = n
        }
        guard complete else { return nil }
        return Scene(grid: grid, groundHeightMeters: [Float](repeating: 0, count: n), buildingHeightMeters: height, buildingIndex: index)
    }

    /// Stores the scene (written beside, then renamed into place, so a reader never sees half a file) and removes the
    /// least recently used files beyond `keptBytes`. Best effort: a cache that cannot be written is skipped.
    static func store(_ scene: Scene, key: String, path: String, directory: URL) {
        let fm = FileManager.default
        guard (try? fm.createDirectory(at: directory, withIntermediateDirectories: true)) != nil else { return }
        let temporary = path + ".\(getpid()).tmp"
        var data = Data(header(grid: scene.grid, key: key))
        scene.buildingHeightMeters.withUnsafeBytes { data.append(contentsOf: $0) }
        scene.buildingIndex.withUnsafeBytes { data.append(contentsOf: $0) }
        guard fm.createFile(atPath: temporary, contents: data) else { return }
        guard rename(temporary, path) == 0 else { unlink(temporary); return }
        evict(directory: directory, keptBytes: keptBytes)
    }

    /// Removes the least recently used scene files of `directory` beyond `keptBytes` together (the newest stays).
    static func evict(directory: URL, keptBytes: Int) {
        let fm = FileManager.default
        let files = ((try? fm.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasPrefix("scene-") && $0.hasSuffix(".bin") }
            .map { directory.appendingPathComponent($0).path }
            .map { path -> (path: String, used: Date, bytes: Int) in
                let attributes = try? fm.attributesOfItem(atPath: path)
                return (path, attributes?[.modificationDate] as? Date ?? .distantPast, (attributes?[.size] as? Int) ?? 0)
            }
            .sorted { ($0.used, $0.path) > ($1.used, $1.path) }
        var total = 0
        for (k, file) in files.enumerated() {
            total += file.bytes
            if k > 0 && total > keptBytes { unlink(file.path) }
        }
    }
}
