import Foundation
import LitfassGeo
import LitfassKernel
import LitfassScenario

/// Scenes kept between runs: the buildings rasterised onto a grid (`SceneBuilder.scene`) and the data-area mask
/// (`CoverageRun.dataAreaMask`) depend only on the scenario's buildings, its data area and the grid, so a run over flat
/// ground reads them from the cache folder when an earlier run on the same buildings, area and grid stored them,
/// instead of rasterising again.
///
/// A file `scene-<key>.bin` holds a header (magic, format version, whether a mask follows, grid size, key), the
/// building heights (Float32) and building indices (Int32) of every cell, native byte order, and the mask (one byte
/// per cell) when the scenario states a data area; the ground is flat (0 m). The key is the SHA-256 of the format
/// version, the rasterising code (Litfass's version, `SceneBuilder.rulesVersion`, GDAL's release), the grid (origin,
/// cell size, size, CRS), every building's index, height and footprint coordinates and the data area's coordinates
/// (bit patterns), so a changed building, area, grid, format or rasteriser makes another file. A file that
/// does not match in every header field and in size is ignored and replaced; failing to store one is not an error
/// (the run goes on with the scene it built). The most recently used files are kept up to `keptBytes` together (the
/// newest always), older ones removed: at 9 bytes per cell the default scenario's 2 m grid takes 26 MB. The run's
/// `height.tif` is kept beside it (`heightRasterPath`).
enum SceneCache {
    static let formatVersion: UInt32 = 2
    static let keptBytes = 256 << 20
    /// 16 bytes at the start of every file.
    static let magic = Array("LITFASS-SCENE-V\u{0}".utf8)
    /// magic, version, mask flag (0/1), columns, rows, key (64 hex digits).
    static let headerBytes = 16 + 4 + 4 + 8 + 8 + 64

    /// The scene of `scenario` on `grid` over flat ground and its data-area mask (`mask()` computes it, nil when the
    /// scenario has no data area): read from `directory` when it holds them, else built and stored there. When the mask
    /// cannot be computed, the scene is returned without it (`dataAreaMask` nil: the caller computes it when it needs it
    /// and reports the error then) and nothing is stored.
    /// - Throws: `SceneBuilder.scene`'s errors when it has to be built.
    /// - Returns: also the scene's key (`key(for:grid:)`), under which `heightRasterPath` keeps the run's `height.tif`.
    static func scene(for scenario: Scenario, grid: RasterGrid, directory: URL,
                      mask: () throws -> [UInt8]?) throws -> (scene: Scene, dataAreaMask: [UInt8]??, key: String) {
        let key = self.key(for: scenario, grid: grid)
        let path = directory.appendingPathComponent("scene-\(key.prefix(24)).bin").path
        if let entry = read(path: path, grid: grid, key: key, hasMask: scenario.dataArea != nil) {
            utimes(path, nil)     // most recently used
            return (entry.scene, .some(entry.dataAreaMask), key)
        }
        let (scene, _) = try SceneBuilder.scene(for: scenario, grid: grid, demPath: nil)
        let dataAreaMask: [UInt8]?
        do { dataAreaMask = try mask() } catch { return (scene, nil, key) }
        store(scene, mask: dataAreaMask, key: key, path: path, directory: directory)
        return (scene, .some(dataAreaMask), key)
    }

    /// The cache key: SHA-256 (hex) of what the rasterised buildings depend on.
    static func key(for scenario: Scenario, grid: RasterGrid) -> String {
        var bytes: [UInt8] = []
        func put<T>(_ value: T) { withUnsafeBytes(of: value) { bytes.append(contentsOf: $0) } }
        /// A polygon's rings (exterior, then holes), each with its point count, closed by −1.
        func put(_ polygon: Polygon) {
            for ring in [polygon.exterior] + polygon.holes {
                put(Int64(ring.count))
                for point in ring { put(point.x.bitPattern); put(point.y.bitPattern) }
            }
            put(Int64(-1))
        }
        put(formatVersion)
        bytes.append(contentsOf: Array("litfass \(LitfassVersion.string) rules \(SceneBuilder.rulesVersion) gdal \(RasterIO.gdalRelease);".utf8))
        put(grid.minX.bitPattern); put(grid.maxY.bitPattern); put(grid.cellSizeMeters.bitPattern)
        put(Int64(grid.columns)); put(Int64(grid.rows)); put(Int64(grid.crs.epsg))
        put(Int64(scenario.dataArea.map { $0.count } ?? -1))
        for polygon in scenario.dataArea ?? [] { put(polygon) }
        put(Int64(scenario.buildings.count))
        for (index, building) in scenario.buildings.enumerated() {
            put(Int64(index)); put(building.heightMeters.bitPattern); put(Int64(building.footprint.count))
            for polygon in building.footprint { put(polygon) }
        }
        return Checksum.sha256(Data(bytes))
    }

    static func header(grid: RasterGrid, key: String, hasMask: Bool) -> [UInt8] {
        var bytes = magic
        func put<T>(_ value: T) { withUnsafeBytes(of: value) { bytes.append(contentsOf: $0) } }
        put(formatVersion); put(UInt32(hasMask ? 1 : 0)); put(Int64(grid.columns)); put(Int64(grid.rows))
        bytes.append(contentsOf: Array(key.utf8))
        return bytes
    }

    /// The scene and mask in the file, or nil when there is none or it does not match `grid`, `key` and `hasMask` exactly.
    static func read(path: String, grid: RasterGrid, key: String, hasMask: Bool) -> (scene: Scene, dataAreaMask: [UInt8]?)? {
        let n = grid.cellCount
        let expected = header(grid: grid, key: key, hasMask: hasMask)
        guard expected.count == headerBytes else { return nil }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, Int(info.st_size) == headerBytes + (hasMask ? 9 : 8) * n else { return nil }
        /// Reads `buffer.count` bytes at `offset`.
        @Sendable func readAll(_ buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Bool {
            var done = 0
            while done < buffer.count {
                let got = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
                guard got > 0 else { return false }
                done += got
            }
            return true
        }
        var head = [UInt8](repeating: 0, count: headerBytes)
        guard head.withUnsafeMutableBytes({ readAll($0, at: 0) }), head == expected else { return nil }
        // The heights, the indices with the mask, and the flat ground on the threads of a parallel loop: most of the time
        // goes to the first touch of fresh pages, which the threads take in parallel.
        var height = [Float](unsafeUninitializedCapacity: n) { _, count in count = n }
        var index = [Int32](unsafeUninitializedCapacity: n) { _, count in count = n }
        var mask = [UInt8](unsafeUninitializedCapacity: hasMask ? n : 0) { _, count in count = hasMask ? n : 0 }
        var ground = [Float](unsafeUninitializedCapacity: n) { _, count in count = n }
        let complete = height.withUnsafeMutableBufferPointer { heightCells in
            index.withUnsafeMutableBufferPointer { indexCells in
                mask.withUnsafeMutableBufferPointer { maskCells in
                    ground.withUnsafeMutableBufferPointer { groundCells in
                        let heights = UncheckedBuffer(heightCells), indices = UncheckedBuffer(indexCells)
                        let masks = UncheckedBuffer(maskCells), grounds = UncheckedBuffer(groundCells)
                        let ok = Slots<Bool>(count: 3)
                        DispatchQueue.concurrentPerform(iterations: 3) { k in
                            switch k {
                            case 0: ok.set(0, readAll(UnsafeMutableRawBufferPointer(heights.buffer), at: headerBytes))
                            case 1: ok.set(1, readAll(UnsafeMutableRawBufferPointer(indices.buffer), at: headerBytes + 4 * n)
                                             && (!hasMask || readAll(UnsafeMutableRawBufferPointer(masks.buffer), at: headerBytes + 8 * n)))
                            default:
                                grounds.buffer.initialize(repeating: 0)
                                ok.set(2, true)
                            }
                        }
                        return ok.values().allSatisfy { $0 }
                    }
                }
            }
        }
        guard complete else { return nil }
        return (Scene(grid: grid, groundHeightMeters: ground, buildingHeightMeters: height, buildingIndex: index), hasMask ? mask : nil)
    }

    /// Stores the scene (`replace`) and removes the least recently used files beyond `keptBytes`. Best effort: a cache
    /// that cannot be written is skipped.
    static func store(_ scene: Scene, mask: [UInt8]?, key: String, path: String, directory: URL) {
        guard (try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)) != nil else { return }
        var data = Data(header(grid: scene.grid, key: key, hasMask: mask != nil))
        scene.buildingHeightMeters.withUnsafeBytes { data.append(contentsOf: $0) }
        scene.buildingIndex.withUnsafeBytes { data.append(contentsOf: $0) }
        if let mask { data.append(contentsOf: mask) }
        guard replace(path, with: data) else { return }
        evict(directory: directory, keptBytes: keptBytes)
    }

    /// Puts `data` at `target`: written into a file beside it, flushed to disk, then renamed into place, so that a reader
    /// never sees half a file, not even after a crash (some file systems keep a renamed file's size but not its bytes).
    /// False, with nothing left behind, on any failure.
    static func replace(_ target: String, with data: Data) -> Bool {
        let temporary = target + ".\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
        guard write(data, to: temporary, sync: true) else { return false }
        guard rename(temporary, target) == 0 else { unlink(temporary); return false }
        return true
    }

    /// Removes the least recently used scene files and height rasters of `directory` beyond `keptBytes` together (the
    /// newest stays, and so do the paths in `keeping`: the entries of the run that stores), a height raster's checksum file
    /// with it, checksum files whose raster is gone, and temporary files a run that stopped while storing left behind
    /// (older than 10 minutes).
    static func evict(directory: URL, keptBytes: Int, keeping: Set<String> = []) {
        let fm = FileManager.default
        func isEntry(_ name: String, _ suffix: String) -> Bool {
            (name.hasPrefix("scene-") || name.hasPrefix("height-")) && name.hasSuffix(suffix)
        }
        let names = (try? fm.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where isEntry(name, ".tmp") {
            let path = directory.appendingPathComponent(name).path
            if let modified = (try? fm.attributesOfItem(atPath: path))?[.modificationDate] as? Date, modified < Date(timeIntervalSinceNow: -600) {
                unlink(path)
            }
        }
        let files = names
            .filter { isEntry($0, ".bin") || isEntry($0, ".tif") }
            .map { directory.appendingPathComponent($0).path }
            .map { path -> (path: String, used: Date, bytes: Int) in
                let attributes = try? fm.attributesOfItem(atPath: path)
                return (path, attributes?[.modificationDate] as? Date ?? .distantPast, (attributes?[.size] as? Int) ?? 0)
            }
            .sorted { ($0.used, $0.path) > ($1.used, $1.path) }
        var total = 0
        for (k, file) in files.enumerated() {
            total += file.bytes
            if k > 0 && total > keptBytes && !keeping.contains(file.path) {
                unlink(file.path)
                if file.path.hasSuffix(".tif") { unlink(checksumPath(ofHeightRaster: file.path)) }
            }
        }
        for name in names where isEntry(name, ".sha256") {
            let raster = directory.appendingPathComponent(String(name.dropLast(".sha256".count)) + ".tif").path
            if access(raster, F_OK) != 0 { unlink(directory.appendingPathComponent(name).path) }
        }
    }
}

// MARK: - The height raster of a scene

extension SceneCache {
    /// Where the cache keeps the `height.tif` (the COG's bytes) that this build of Litfass writes for the scene with key
    /// `sceneKey` and the file's `metadata`: `height-<scene>-<id>.tif`, `scene` the start of the scene key, `id` the
    /// SHA-256 of the scene key, every metadata entry and `codeIdentity`. The file's bytes depend only on these — the heights
    /// on the scene, the rest on the metadata, on Litfass's code and on the libraries that encode it (GDAL, libtiff, the
    /// codecs) — so a rebuilt Litfass or an updated library never reads a file another build wrote. Beside it,
    /// `height-<scene>-<id>.sha256` holds its size and SHA-256. nil when the code cannot be identified (no caching then).
    static func heightRasterPath(directory: String, sceneKey: String, metadata: [String: String]) -> String? {
        guard let code = codeIdentity else { return nil }
        var text = "height.tif v1\n\(sceneKey)\n\(code)\n"
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) { text += "\(name)=\(value)\n" }
        let name = "height-\(sceneKey.prefix(24))-\(Checksum.sha256(Data(text.utf8)).prefix(24)).tif"
        return URL(fileURLWithPath: directory).appendingPathComponent(name).path
    }

    /// The checksum file of a height raster in the cache: its byte count and SHA-256, "<bytes> <hex>".
    static func checksumPath(ofHeightRaster path: String) -> String { String(path.dropLast(".tif".count)) + ".sha256" }

    /// SHA-256 (hex) of the identities of every file mapped executable into this process — Litfass's code (the
    /// executable, or a shared library when Litfass is linked as one) and every library it loaded: path, device, inode,
    /// size and modification time, from `/proc/self/maps` (`executableFiles`). nil when the maps cannot be read, a file
    /// cannot be examined, or one was deleted or replaced since it was mapped.
    static let codeIdentity: String? = {
        guard let maps = readToEnd("/proc/self/maps"), let files = executableFiles(inMaps: maps), !files.isEmpty else { return nil }
        var text = ""
        for file in files {
            var info = stat()
            guard stat(file.path, &info) == 0, UInt64(info.st_ino) == file.inode else { return nil }
            text += "\(file.path) \(info.st_dev) \(info.st_ino) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)\n"
        }
        return Checksum.sha256(Data(text.utf8))
    }()

    /// A file read with `read` until it ends — Foundation's readers stop after the first block of a `/proc` file, whose
    /// size the OS kernel gives as 0.
    static func readToEnd(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var block = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = block.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if got < 0 { return nil }
            if got == 0 { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(contentsOf: block[..<got])
        }
    }

    /// The files mapped executable in a `/proc/<pid>/maps` listing ("start-end perms offset dev inode path"), each once, by
    /// path, with the inode the listing gives; nil when one of them was deleted since it was mapped (" (deleted)").
    /// Mappings without a file ([vdso], anonymous memory) are skipped; a path keeps its spaces.
    static func executableFiles(inMaps text: String) -> [(path: String, inode: UInt64)]? {
        var files: [String: UInt64] = [:]
        for line in text.split(separator: "\n") {
            // Five fields separated by runs of spaces, then the path (the rest of the line, spaces included).
            var rest = line[...]
            var fields: [Substring] = []
            while fields.count < 5 {
                rest = rest.drop { $0 == " " }
                guard let end = rest.firstIndex(of: " ") else { fields.append(rest); rest = ""; break }
                fields.append(rest[..<end])
                rest = rest[end...]
            }
            let path = rest.drop { $0 == " " }
            guard fields.count == 5, fields[1].contains("x"), path.hasPrefix("/"), let inode = UInt64(fields[4]) else { continue }
            if path.hasSuffix(" (deleted)") { return nil }
            files[String(path)] = inode
        }
        return files.keys.sorted().map { ($0, files[$0]!) }
    }

    /// Copies the cached height raster at `cached` to `path` when its size and SHA-256 match its checksum file; a raster
    /// that does not match (cut short by a crash, changed since) is removed with its checksum file, and the run writes and
    /// stores a new one. True when copied.
    static func copyHeightRaster(from cached: String, to path: String) -> Bool {
        guard let recorded = FileManager.default.contents(atPath: checksumPath(ofHeightRaster: cached)),
              let bytes = FileManager.default.contents(atPath: cached) else { return false }
        guard String(decoding: recorded, as: UTF8.self) == "\(bytes.count) \(Checksum.sha256(bytes))" else {
            unlink(cached)
            unlink(checksumPath(ofHeightRaster: cached))
            return false
        }
        guard write(bytes, to: path, sync: false) else { return false }
        utimes(cached, nil)     // most recently used
        return true
    }

    /// Stores a written height raster under `cached` with its checksum file (each by `replace`), removes the scene's other height rasters (one per scene:
    /// the one of the latest metadata) and evicts old entries, never the scene's own. Best effort, like `store`.
    static func storeHeightRaster(_ path: String, at cached: String, sceneKey: String) {
        let folder = URL(fileURLWithPath: cached).deletingLastPathComponent()
        guard (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)) != nil,
              let bytes = FileManager.default.contents(atPath: path) else { return }
        let checksum = checksumPath(ofHeightRaster: cached)
        unlink(checksum)        // a raster without a matching checksum file is never copied
        guard replace(cached, with: bytes), replace(checksum, with: Data("\(bytes.count) \(Checksum.sha256(bytes))".utf8)) else { return }
        let prefix = "height-\(sceneKey.prefix(24))-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        where name.hasPrefix(prefix) && name.hasSuffix(".tif") && folder.appendingPathComponent(name).path != cached {
            unlink(folder.appendingPathComponent(name).path)
            unlink(checksumPath(ofHeightRaster: folder.appendingPathComponent(name).path))
        }
        let scene = folder.appendingPathComponent("scene-\(sceneKey.prefix(24)).bin").path
        evict(directory: folder, keptBytes: keptBytes, keeping: [cached, scene])
    }

    /// Writes `data` into a new file `path` (mode 0666 less the umask, as GDAL creates its files), flushed to disk when
    /// `sync`; false, with no file left, on any failure.
    static func write(_ data: Data, to path: String, sync: Bool) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o666)
        guard fd >= 0 else { return false }
        var ok = data.withUnsafeBytes { buffer -> Bool in
            guard let base = buffer.baseAddress else { return true }
            var done = 0
            while done < buffer.count {
                let put = Glibc.write(fd, base + done, buffer.count - done)
                guard put > 0 else { return false }
                done += put
            }
            return true
        }
        if ok && sync && fsync(fd) != 0 { ok = false }
        if close(fd) != 0 { ok = false }
        if !ok { unlink(path) }
        return ok
    }
}
