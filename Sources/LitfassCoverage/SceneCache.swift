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
        let complete = height.withUnsafeMutableBytes { heightBytes in
            index.withUnsafeMutableBytes { indexBytes in
                mask.withUnsafeMutableBytes { maskBytes in
                    ground.withUnsafeMutableBufferPointer { groundCells in
                        let parts = [SharedBuffer(heightBytes), SharedBuffer(indexBytes), SharedBuffer(maskBytes)]
                        let groundShared = SharedBuffer(UnsafeMutableRawBufferPointer(groundCells))
                        let ok = Slots<Bool>(count: 3)
                        DispatchQueue.concurrentPerform(iterations: 3) { k in
                            switch k {
                            case 0: ok.set(0, readAll(parts[0].bytes, at: headerBytes))
                            case 1: ok.set(1, readAll(parts[1].bytes, at: headerBytes + 4 * n)
                                             && (!hasMask || readAll(parts[2].bytes, at: headerBytes + 8 * n)))
                            default:
                                groundShared.bytes.initializeMemory(as: Float.self, repeating: 0)
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

    /// A buffer handed to the threads of a parallel loop, each writing its own.
    private struct SharedBuffer: @unchecked Sendable {
        let bytes: UnsafeMutableRawBufferPointer
        init(_ bytes: UnsafeMutableRawBufferPointer) { self.bytes = bytes }
    }

    /// Stores the scene (written beside, then renamed into place, so a reader never sees half a file) and removes the
    /// least recently used files beyond `keptBytes`. Best effort: a cache that cannot be written is skipped.
    static func store(_ scene: Scene, mask: [UInt8]?, key: String, path: String, directory: URL) {
        let fm = FileManager.default
        guard (try? fm.createDirectory(at: directory, withIntermediateDirectories: true)) != nil else { return }
        let temporary = path + ".\(getpid()).tmp"
        var data = Data(header(grid: scene.grid, key: key, hasMask: mask != nil))
        scene.buildingHeightMeters.withUnsafeBytes { data.append(contentsOf: $0) }
        scene.buildingIndex.withUnsafeBytes { data.append(contentsOf: $0) }
        if let mask { data.append(contentsOf: mask) }
        guard fm.createFile(atPath: temporary, contents: data) else { return }
        guard rename(temporary, path) == 0 else { unlink(temporary); return }
        evict(directory: directory, keptBytes: keptBytes)
    }

    /// Removes the least recently used scene files and height rasters of `directory` beyond `keptBytes` together (the
    /// newest stays), and temporary files a run that stopped while storing left behind (older than 10 minutes).
    static func evict(directory: URL, keptBytes: Int) {
        let fm = FileManager.default
        func isEntry(_ name: String, _ suffix: String) -> Bool {
            (name.hasPrefix("scene-") || name.hasPrefix("height-")) && name.hasSuffix(suffix)
        }
        for name in (try? fm.contentsOfDirectory(atPath: directory.path)) ?? [] where isEntry(name, ".tmp") {
            let path = directory.appendingPathComponent(name).path
            if let modified = (try? fm.attributesOfItem(atPath: path))?[.modificationDate] as? Date, modified < Date(timeIntervalSinceNow: -600) {
                unlink(path)
            }
        }
        let files = ((try? fm.contentsOfDirectory(atPath: directory.path)) ?? [])
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
            if k > 0 && total > keptBytes { unlink(file.path) }
        }
    }
}

// MARK: - The height raster of a scene

extension SceneCache {
    /// Where the cache keeps the `height.tif` (the COG's bytes) that this build of Litfass writes for the scene with key
    /// `sceneKey` and the file's `metadata`: `height-<id>.tif`, `id` the SHA-256 of the scene key, every metadata entry and
    /// the identity of the file that holds Litfass's code (`codeIdentity`). The file's bytes depend only on these — the
    /// heights on the scene, the rest on the metadata and on the writer's code — so a rebuilt or updated `litfass` never
    /// reads a file an earlier build wrote. nil when the code's file cannot be identified (no caching then).
    static func heightRasterPath(directory: String, sceneKey: String, metadata: [String: String]) -> String? {
        guard let code = codeIdentity else { return nil }
        var text = "height.tif v1\n\(sceneKey)\n\(code)\n"
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) { text += "\(name)=\(value)\n" }
        return URL(fileURLWithPath: directory).appendingPathComponent("height-\(Checksum.sha256(Data(text.utf8)).prefix(24)).tif").path
    }

    /// Device, inode, size and modification time of the file this code was loaded from (the `litfass` executable, a test
    /// binary, or a shared library when Litfass is linked as one), found in `/proc/self/maps` by the address of a function
    /// of this module — not `/proc/self/exe`, which names the loader or `valgrind` when either runs Litfass. nil when it
    /// cannot be found.
    static let codeIdentity: String? = {
        let anchor: @convention(c) () -> Void = {}
        let address = UInt(bitPattern: unsafeBitCast(anchor, to: UnsafeRawPointer.self))
        guard let maps = fopen("/proc/self/maps", "r") else { return nil }
        defer { fclose(maps) }
        var line: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        defer { free(line) }
        // "start-end perms offset dev inode path": the mapping that holds the address names the file.
        while getline(&line, &capacity, maps) > 0, let line {
            let fields = String(cString: line).split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, let dash = fields[0].firstIndex(of: "-"),
                  let start = UInt(fields[0][..<dash], radix: 16), let end = UInt(fields[0][fields[0].index(after: dash)...], radix: 16),
                  start <= address, address < end else { continue }
            let path = fields[5...].joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines)
            var info = stat()
            guard path.hasPrefix("/"), stat(path, &info) == 0 else { return nil }
            return "\(info.st_dev) \(info.st_ino) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        }
        return nil
    }()

    /// Copies the cached height raster at `cached` to `path` when it is there and GDAL reads it as `bands` bands on `grid`
    /// (a file that does not is removed, so the run writes and stores a new one); true when copied.
    static func copyHeightRaster(from cached: String, to path: String, grid: RasterGrid, bands: Int) -> Bool {
        guard access(cached, R_OK) == 0 else { return false }
        guard let info = try? RasterIO.info(path: cached), info.columns == grid.columns, info.rows == grid.rows,
              info.bands.count == bands else {
            unlink(cached)
            return false
        }
        guard copyFile(cached, to: path) else { return false }
        utimes(cached, nil)     // most recently used
        return true
    }

    /// Stores a written height raster under `cached` (copied beside it, then renamed into place, so a reader never sees
    /// half a file) and evicts old entries. Best effort, like `store`.
    static func storeHeightRaster(_ path: String, at cached: String) {
        let directory = URL(fileURLWithPath: cached).deletingLastPathComponent()
        guard (try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)) != nil else { return }
        let temporary = cached + ".\(getpid()).tmp"
        guard copyFile(path, to: temporary) else { return }
        guard rename(temporary, cached) == 0 else { unlink(temporary); return }
        evict(directory: directory, keptBytes: keptBytes)
    }

    /// Copies the bytes of `source` into a new file `target` (mode 0644); false, with no `target` left, on any failure.
    static func copyFile(_ source: String, to target: String) -> Bool {
        let input = open(source, O_RDONLY)
        guard input >= 0 else { return false }
        defer { close(input) }
        let output = open(target, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard output >= 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var ok = true
        copying: while true {
            let got = buffer.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress!, $0.count) }
            if got == 0 { break }
            if got < 0 { ok = false; break }
            var done = 0
            while done < got {
                let put = buffer.withUnsafeBytes { Glibc.write(output, $0.baseAddress! + done, got - done) }
                if put <= 0 { ok = false; break copying }
                done += put
            }
        }
        if close(output) != 0 { ok = false }
        if !ok { unlink(target) }
        return ok
    }
}
