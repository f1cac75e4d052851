import Foundation
import LitfassGeo
import LitfassKernel
import LitfassRadio
import LitfassScenario

/// The tiled workflow over a plan folder: `plan` writes `DIR/plan.json`, `runTile` computes one tile into
/// `DIR/tiles/<index>/`, `mosaic` joins the tiles into `DIR/mosaic/`. Kernel windows are kept in `DIR/cache/` keyed by
/// everything that determines them (`windowKey`), so a rerun after a change recomputes only the transmitters whose
/// key changed; a tile whose signature (`TilePlan.Tile.signature`) matches its stored state is not recomputed at all.
public enum TiledCoverage {
    /// The maps of each operator, as `CoverageWriter` names them (`<operator>-<map>.tif`), with their overview resampling.
    public static let maps: [(name: String, overviews: OverviewResampling)] = [
        ("rsrp", .average), ("best-server", .nearest), ("sinr", .average), ("dl-throughput", .average), ("ul-throughput", .average),
    ]

    /// The state file of a computed tile, written after its maps.
    static let stateFileName = "tile.json"

    /// What a computed tile's folder records.
    struct TileState: Codable {
        var index: Int
        var signature: String
        var transmitters: Int
        var computedTransmitters: Int
        var cachedTransmitters: Int
    }

    /// What `runTile` did.
    public struct TileOutcome: Sendable {
        public var index: Int
        /// The tile's maps were already computed for this plan: nothing was done.
        public var unchanged: Bool
        /// Transmitter groups (sectors computed once per `TransmitterGroups` group) reaching the tile.
        public var transmitters: Int
        /// Of those, computed by the kernel now.
        public var computed: Int
        /// Of those, read from the cache.
        public var cached: Int
        public var elapsedSeconds: Double
        /// The folder of the tile's maps.
        public var directory: String
    }

    /// Loads a scenario and, when given, replaces its sites by a site list.
    public static func loadScenario(_ path: String, sitesPath: String?) throws -> Scenario {
        var scenario = try ScenarioStore.load(path: path)
        if let sitesPath { scenario = try SiteList.load(path: sitesPath, assumptions: scenario.assumptions).applied(to: scenario) }
        return scenario
    }

    static func planPath(_ directory: String) -> String { URL(fileURLWithPath: directory).appendingPathComponent(TilePlan.fileName).path }
    static func tileDirectory(_ directory: String, _ index: Int) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent("tiles").appendingPathComponent(String(index)).path
    }

    /// Plans the tiles (see `TilePlan.make`) and writes `DIR/plan.json`, keeping the folder's tiles and cache; `changes`
    /// compares with the plan that was there.
    /// - Throws: `CoverageError` as `TilePlan.make`, or `.output` when the plan cannot be written.
    @discardableResult
    public static func plan(directory: String, scenarioPath: String, sitesPath: String?, options: CoverageOptions,
                            tileSizeMeters: Double = TilePlan.defaultTileSizeMeters) throws -> TilePlan {
        let previous = try? readPlan(directory)
        let plan = try TilePlan.make(scenarioPath: scenarioPath, sitesPath: sitesPath, options: options, tileSizeMeters: tileSizeMeters,
                                     previous: previous)
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw CoverageError.output(file: directory, message: "cannot create the plan folder: \(error.localizedDescription)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do { try OutputTarget.write(try encoder.encode(plan), to: planPath(directory)) } catch let error as GeoError {
            throw CoverageError.output(file: planPath(directory), message: "\(error)")
        }
        return plan
    }

    /// Reads `DIR/plan.json`.
    /// - Throws: `CoverageError.plan` naming the file when it is missing or not a plan.
    public static func readPlan(_ directory: String) throws -> TilePlan {
        let path = planPath(directory)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CoverageError.plan(file: path, message: "no plan here; run 'litfass coverage plan --out \(directory)' first")
        }
        do { return try JSONDecoder().decode(TilePlan.self, from: data) } catch {
            throw CoverageError.plan(file: path, message: "not a tile plan: \(error)")
        }
    }

    /// Computes tile `index` of the plan in `directory` alone and writes its maps into `DIR/tiles/<index>/` (as
    /// `CoverageWriter`, without previews: whole or absent), then its state file. Nothing is done when the state file
    /// says the tile was computed with the same signature (after the inputs' checksums are checked against the plan).
    /// - Parameter threads: worker threads; the maps do not depend on it.
    /// - Throws: `CoverageError.tileIndex` for an index outside the plan; `.plan` when an input's checksum differs from
    ///   the plan's (re-plan); errors of the run and the writer.
    public static func runTile(directory: String, index: Int, threads: Int) throws -> TileOutcome {
        let start = DispatchTime.now().uptimeNanoseconds
        let plan = try readPlan(directory)
        guard index >= 0, index < plan.tileCount else { throw CoverageError.tileIndex(index: index, tileCount: plan.tileCount) }
        let tile = plan.tiles[index]
        for input in [plan.inputs.scenario] + [plan.inputs.sites, plan.inputs.dem].compactMap({ $0 }) {
            let sum: String
            do { sum = try Checksum.sha256(fileAt: input.path) } catch {
                throw CoverageError.plan(file: input.path, message: "cannot read the plan's input: \(error.localizedDescription)")
            }
            guard sum == input.sha256 else {
                throw CoverageError.plan(file: input.path, message: "changed since the plan was made (SHA-256 \(sum.prefix(12))…, the plan has \(input.sha256.prefix(12))…); run 'litfass coverage plan' on \(directory) again")
            }
        }
        let output = tileDirectory(directory, index)
        let statePath = URL(fileURLWithPath: output).appendingPathComponent(stateFileName).path
        if let data = FileManager.default.contents(atPath: statePath), let state = try? JSONDecoder().decode(TileState.self, from: data),
           state.signature == tile.signature {
            return TileOutcome(index: index, unchanged: true, transmitters: state.transmitters, computed: 0, cached: 0, elapsedSeconds: 0,
                               directory: output)
        }
        let scenario = try loadScenario(plan.inputs.scenario.path, sitesPath: plan.inputs.sites?.path)
        let options = CoverageRun.resolved(plan.coverageOptions(threads: threads), scenario: scenario)
        let full = try SceneBuilder.grid(for: scenario, area: options.area, resolutionMeters: options.resolutionMeters, maxCells: .max)
        guard full == plan.rasterGrid else {
            throw CoverageError.plan(file: planPath(directory), message: "the inputs give another grid than the plan's; run 'litfass coverage plan' again")
        }
        let run = try CoverageRun(scenario: scenario, resolvedOptions: options, fullGrid: full, sceneCells: tile.scene, outputCells: tile.cells)
        if let dem = options.demPath, !run.warnings.isEmpty {
            throw CoverageError.terrain(file: dem, message: "it does not cover all of tile \(index)'s scene (\(run.warnings.joined(separator: "; "))); a tiled plan needs a terrain model over the whole area, as a tile cannot know the whole run's fill value")
        }
        guard run.plan.sectors.count == plan.transmitters.count,
              zip(run.plan.sectors, plan.transmitters).allSatisfy({ $0.sector.id == $1.id && $0.transmitter.maxRangeMeters == $1.rangeMeters }) else {
            throw CoverageError.plan(file: planPath(directory), message: "the inputs give other sectors than the plan's; run 'litfass coverage plan' again")
        }
        let groups = TransmitterGroups(run.plan.sectors.map(\.transmitter))
        let reaching = Set(tile.transmitters)
        let active = groups.members.map { $0.contains { reaching.contains($0) } }
        let cache = WindowCache(directory: URL(fileURLWithPath: directory).appendingPathComponent("cache").path)
        let scene = run.scene, sceneBox = tile.scene
        let settings = run.kernel.settings
        let counter = Counter()
        let regionSums = Memo<CellBox, String>()   // sectors of one site share their window's region
        try? FileManager.default.removeItem(atPath: statePath)
        // Whole windows (no receiver mask): a cached window then serves every tile it reaches; the data-area cells
        // get the same values either way (`PropagationKernel.compute(_:receivers:)`).
        let result = try run.run(mask: try run.dataAreaMask()) { g, representative in
            guard active[g], let box = representative.window(in: full), let cell = full.cell(containing: representative.position) else { return nil }
            let region = box.expanded(by: LitfassKernel.Transmitter.sceneMarginCells).intersection(CellBox(column: 0, row: 0, columns: full.columns, rows: full.rows))
            let key = windowKey(representative, cell: cell, window: box, grid: full, settings: settings,
                                scene: regionSums.value(region) { regionChecksum(scene, sceneBox: sceneBox, region: region) })
            let local = CellBox(column: box.column - sceneBox.column, row: box.row - sceneBox.row, columns: box.columns, rows: box.rows)
            if let power = cache.read(key, count: box.cellCount) {
                counter.add(cached: 1)
                return CoverageWindow(columnOffset: local.column, rowOffset: local.row, columns: local.columns, rows: local.rows,
                                      receivedPowerDBm: power, pathLossDB: [], pathType: [])
            }
            // The kernel finds the transmitter's cell from its position: the centre of the same cell, on the scene's origin.
            var t = representative
            t.position = scene.grid.center(column: cell.column - sceneBox.column, row: cell.row - sceneBox.row)
            let w = run.kernel.compute(t)
            precondition(w.columnOffset == local.column && w.rowOffset == local.row && w.columns == local.columns && w.rows == local.rows,
                         "the tile's scene must hold the transmitter's whole window")
            try cache.write(key, w.receivedPowerDBm)
            counter.add(cached: 0)
            return w
        }
        try CoverageWriter(previews: false).write(result, to: output)
        let state = TileState(index: index, signature: tile.signature, transmitters: counter.computed + counter.cached,
                              computedTransmitters: counter.computed, cachedTransmitters: counter.cached)
        do { try OutputTarget.write(try JSONEncoder().encode(state), to: statePath) } catch let error as GeoError {
            throw CoverageError.output(file: statePath, message: "\(error)")
        }
        return TileOutcome(index: index, unchanged: false, transmitters: state.transmitters, computed: state.computedTransmitters,
                           cached: state.cachedTransmitters, elapsedSeconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9,
                           directory: output)
    }

    /// Joins the tiles of the plan in `directory`: per operator and map a VRT over the tiles (`DIR/mosaic/<op>-<map>.vrt`)
    /// and a Cloud-Optimised GeoTIFF with overviews (`DIR/mosaic/<op>-<map>.tif`), and the best-server legend of the most
    /// recently computed tile.
    /// - Returns: the files written.
    /// - Throws: `CoverageError.plan` naming the tiles not computed for this plan; `.output` for GDAL failures.
    @discardableResult
    public static func mosaic(directory: String, threads: Int = 1) throws -> [String] {
        let plan = try readPlan(directory)
        var missing: [Int] = []
        var newest: (date: Date, index: Int)?
        for tile in plan.tiles {
            let state = URL(fileURLWithPath: tileDirectory(directory, tile.index)).appendingPathComponent(stateFileName).path
            guard let data = FileManager.default.contents(atPath: state), let s = try? JSONDecoder().decode(TileState.self, from: data),
                  s.signature == tile.signature else { missing.append(tile.index); continue }
            let date = (try? FileManager.default.attributesOfItem(atPath: state)[.modificationDate] as? Date) ?? .distantPast
            if newest == nil || date > newest!.date { newest = (date, tile.index) }
        }
        guard missing.isEmpty else {
            let list = missing.count > 20 ? missing.prefix(20).map(String.init).joined(separator: ", ") + ", … (\(missing.count) in all)"
                : missing.map(String.init).joined(separator: ", ")
            throw CoverageError.plan(file: directory, message: "tiles not computed for this plan: \(list); run 'litfass coverage tile --plan \(directory) --index I' for each")
        }
        let folder = URL(fileURLWithPath: directory).appendingPathComponent("mosaic")
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw CoverageError.output(file: folder.path, message: "cannot create: \(error.localizedDescription)")
        }
        var written: [String] = []
        for op in plan.operators {
            let stem = CoverageWriter.slug(op)
            for map in maps {
                let name = "\(stem)-\(map.name)"
                let sources = plan.tiles.map { URL(fileURLWithPath: tileDirectory(directory, $0.index)).appendingPathComponent(name + ".tif").path }
                let vrt = folder.appendingPathComponent(name + ".vrt").path, cog = folder.appendingPathComponent(name + ".tif").path
                do { try RasterIO.writeMosaic(sources: sources, vrtPath: vrt, cogPath: cog, overviews: map.overviews, threads: threads) } catch {
                    throw CoverageError.output(file: cog, message: "\(error)")
                }
                written += [vrt, cog]
            }
            if let newest {
                let legend = "\(stem)-best-server-legend.csv"
                let source = URL(fileURLWithPath: tileDirectory(directory, newest.index)).appendingPathComponent(legend)
                let target = folder.appendingPathComponent(legend)
                do { try OutputTarget.write(try Data(contentsOf: source), to: target.path) } catch {
                    throw CoverageError.output(file: target.path, message: "cannot copy the legend: \(error)")
                }
                written.append(target.path)
            }
        }
        return written
    }

    /// The cache key of a kernel window: SHA-256 of the kernel version, the transmitter (everything `PropagationKey`
    /// holds, and the EIRP), its cell and window in the whole grid, the grid's lattice, the kernel settings and the
    /// checksum of the scene under the window and its margin.
    static func windowKey(_ t: LitfassKernel.Transmitter, cell: (column: Int, row: Int), window: CellBox, grid: RasterGrid,
                          settings: KernelSettings, scene: String) -> String {
        let p = t.pattern
        let fields: [String] = [
            "litfass-window", "\(TilePlan.kernelVersion)", "\(cell.column),\(cell.row)",
            "\(window.column),\(window.row),\(window.columns),\(window.rows)",
            "\(grid.minX.bitPattern) \(grid.maxY.bitPattern) \(grid.cellSizeMeters.bitPattern)",
            "\(t.antennaHeightMeters.bitPattern)", "\(t.frequencyHz.bitPattern)", "\(t.eirpDBm.bitPattern)",
            "\(t.azimuthDegrees.bitPattern)", "\(t.downtiltDegrees.bitPattern)", "\(t.maxRangeMeters.bitPattern)",
            "\(t.pathLossBudgetDB.bitPattern)", TilePlan.patternSignature(p.name), "\(p.maxGainDBi.bitPattern)",
            "\(settings.receiverHeightMeters.bitPattern)", settings.model.rawValue, "\(settings.buildingClass)",
            "\(settings.buildingEntryProbabilityPercent.bitPattern)", "\(settings.maxCornerTurns)",
            "\(settings.cornerSearchRadiusMeters.bitPattern)", "\(settings.cornerLoss)", scene,
        ]
        return Checksum.sha256(Data(fields.joined(separator: "\u{1F}").utf8))
    }

    /// SHA-256 over the rows of `region` (cells of the whole grid) of the scene (ground, building height, building
    /// index), which covers `sceneBox` of the whole grid: one digest per block of rows (about 1 MB), then the digest
    /// of the digests (bounded memory on any window).
    static func regionChecksum(_ scene: Scene, sceneBox: CellBox, region: CellBox) -> String {
        let columns = scene.grid.columns
        var digests = ""
        var bytes = Data()
        let block = 1 << 20
        bytes.reserveCapacity(block + region.columns * 12)
        for row in region.row..<region.endRow {
            let start = (row - sceneBox.row) * columns + (region.column - sceneBox.column)
            scene.groundHeightMeters[start..<(start + region.columns)].withUnsafeBytes { bytes.append(contentsOf: $0) }
            scene.buildingHeightMeters[start..<(start + region.columns)].withUnsafeBytes { bytes.append(contentsOf: $0) }
            scene.buildingIndex[start..<(start + region.columns)].withUnsafeBytes { bytes.append(contentsOf: $0) }
            if bytes.count >= block || row == region.endRow - 1 {
                digests += Checksum.sha256(bytes)
                bytes.removeAll(keepingCapacity: true)
            }
        }
        return Checksum.sha256(Data(digests.utf8))
    }
}

/// Counts of the windows of a tile run (thread-safe).
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var values = (computed: 0, cached: 0)
    func add(cached: Int) {
        lock.lock(); defer { lock.unlock() }
        if cached > 0 { values.cached += cached } else { values.computed += 1 }
    }
    var computed: Int { lock.lock(); defer { lock.unlock() }; return values.computed }
    var cached: Int { lock.lock(); defer { lock.unlock() }; return values.cached }
}

/// Values computed once per key (thread-safe; a value may be computed twice by racing workers, with the same result).
private final class Memo<Key: Hashable, Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Key: Value] = [:]
    func value(_ key: Key, _ compute: () -> Value) -> Value {
        lock.lock()
        if let v = values[key] { lock.unlock(); return v }
        lock.unlock()
        let v = compute()
        lock.lock(); defer { lock.unlock() }
        values[key] = v
        return v
    }
}

/// Kernel windows on disk: `<key>.bin` holds the window's received power [dBm] as little-endian Float32, row-major.
/// Written through a temporary file renamed into place, so concurrent tile runs writing the same key are safe.
struct WindowCache: Sendable {
    let directory: String

    func path(_ key: String) -> String { URL(fileURLWithPath: directory).appendingPathComponent(key + ".bin").path }

    /// The stored window, or nil when absent or of another size.
    func read(_ key: String, count: Int) -> [Float]? {
        guard let data = FileManager.default.contents(atPath: path(key)), data.count == count * 4 else { return nil }
        return data.withUnsafeBytes { raw in (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) } }
    }

    func write(_ key: String, _ values: [Float]) throws {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw CoverageError.output(file: directory, message: "cannot create the window cache: \(error.localizedDescription)")
        }
        let data = values.withUnsafeBufferPointer { buffer in Data(buffer: UnsafeBufferPointer(start: buffer.baseAddress, count: buffer.count)) }
        do { try OutputTarget.write(data, to: path(key)) } catch {
            throw CoverageError.output(file: path(key), message: "\(error)")
        }
    }
}
