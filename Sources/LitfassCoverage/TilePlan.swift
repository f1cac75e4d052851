import Foundation
import LitfassGeo
import LitfassKernel
import LitfassRadio
import LitfassScenario

/// A tiled coverage plan (`DIR/plan.json`): the whole run's grid cut into tiles on a fixed lattice in EPSG:25832,
/// each tile with the transmitters whose kernel window reaches it, the inputs' checksums and the options — everything
/// `TiledCoverage.runTile` needs to compute one tile alone, with the cells the whole run (`CoverageRun`) gives.
///
/// Why a tile equals the whole run on its cells: the kernel works in cells relative to a transmitter's cell inside
/// its window (the cells within `Transmitter.reachCells`, clipped to the grid); a tile's scene is the part of the
/// whole grid holding the windows of every transmitter reaching the tile plus `Transmitter.sceneMarginCells`, so each
/// window has the same extent and the same scene under it as in the whole run, and the merge visits the windows in
/// the whole run's order. Ranges are those of the whole grid (`RadioPlan`).
public struct TilePlan: Codable, Sendable, Equatable {
    /// The plan's file name in its folder.
    public static let fileName = "plan.json"
    /// Default tile side [m].
    public static let defaultTileSizeMeters = 1000.0
    /// Version of the kernel and map arithmetic: tiles and cached windows of another version are recomputed.
    /// Raise it whenever a change to `LitfassKernel` or `CoverageRun` changes any value of the maps.
    public static let kernelVersion = 2

    /// The grid of the whole run (EPSG:25832; row 0 north).
    public struct Grid: Codable, Sendable, Equatable {
        public var minX: Double
        public var maxY: Double
        public var cellSizeMeters: Double
        public var columns: Int
        public var rows: Int
    }

    /// An input file and its SHA-256.
    public struct Input: Codable, Sendable, Equatable {
        public var path: String
        public var sha256: String
    }

    /// The input files.
    public struct Inputs: Codable, Sendable, Equatable {
        public var scenario: Input
        public var sites: Input?
        public var dem: Input?
    }

    /// The coverage options of the plan (those that change the maps).
    public struct Options: Codable, Sendable, Equatable {
        public var operators: [String]?
        public var resolutionMeters: Double
        public var bbox: GeographicBox?
        public var receiverHeightMeters: Double
        public var model: String
        public var maxRangeMeters: Double?
        /// nil: the kernel's default (omitted from the plan file, so plans written before the option keep their keys).
        public var maxCornerTurns: Int?
    }

    /// One sector of the plan (in the whole run's sector order).
    public struct Transmitter: Codable, Sendable, Equatable {
        /// Position in the run's sector list.
        public var index: Int
        public var id: String
        public var site: String
        public var operatorName: String
        public var band: String
        /// Position [m, EPSG:25832] and its cell of the grid.
        public var x: Double
        public var y: Double
        /// Range limit [m] (free space to the RSRP floor, capped at the farthest grid corner and `--max-range`).
        public var rangeMeters: Double
        /// The kernel's window in cells of the grid; nil when the site lies outside the grid.
        public var window: CellBox?
        /// SHA-256 of everything of the sector the maps depend on (parameters, position, range, order).
        public var signature: String
    }

    /// One tile.
    public struct Tile: Codable, Sendable, Equatable {
        public var index: Int
        /// Extent [m, EPSG:25832]; interior edges on multiples of the tile size, outer edges those of the grid.
        public var minX: Double
        public var minY: Double
        public var maxX: Double
        public var maxY: Double
        /// The tile's cells of the grid.
        public var cells: CellBox
        /// The cells of the grid the tile's scene holds (its transmitters' windows grown by the kernel's margin).
        public var scene: CellBox
        /// Indices into `transmitters` of the sectors whose window reaches the tile.
        public var transmitters: [Int]
        /// SHA-256 of everything the tile's maps depend on: a tile with the same signature has the same maps.
        public var signature: String
    }

    /// What changed against the plan that was in the folder before.
    public struct Changes: Codable, Sendable, Equatable {
        /// Tiles whose signature differs from the earlier plan's tile with the same extent (or that are new).
        public var tiles: Int
        /// Sectors whose signature differs, that are new or that are gone.
        public var transmitters: Int
    }

    public var format = "litfass-tile-plan/1"
    public var crs = "EPSG:25832"
    public var kernelVersion = TilePlan.kernelVersion
    public var tileSizeMeters: Double
    public var grid: Grid
    public var tileCount: Int
    public var operators: [String]
    public var inputs: Inputs
    public var options: Options
    public var transmitters: [Transmitter]
    public var tiles: [Tile]
    /// nil for the first plan in a folder.
    public var changes: Changes?

    /// The whole run's grid.
    public var rasterGrid: RasterGrid {
        RasterGrid(minX: grid.minX, maxY: grid.maxY, cellSizeMeters: grid.cellSizeMeters, columns: grid.columns, rows: grid.rows, crs: .utm32N)
    }

    /// The coverage options the plan stands for (threads as given).
    public func coverageOptions(threads: Int) -> CoverageOptions {
        var o = CoverageOptions()
        o.operators = options.operators
        o.resolutionMeters = options.resolutionMeters
        o.area = options.bbox
        o.receiverHeightMeters = options.receiverHeightMeters
        o.model = PropagationModel(rawValue: options.model) ?? .rayCast
        o.demPath = inputs.dem?.path
        o.maxRangeMeters = options.maxRangeMeters
        o.maxCornerTurns = options.maxCornerTurns
        o.threads = threads
        return o
    }

    /// Plans the tiles of a coverage run.
    /// - Parameters:
    ///   - scenarioPath: the scenario GeoPackage; `sitesPath` a site list replacing its sites.
    ///   - options: the coverage options (`demPath`, `maxRangeMeters` included); `maxCells` bounds each tile's scene.
    ///   - tileSizeMeters: tile side [m], a whole multiple of the resolution.
    ///   - previous: the plan that was in the folder, for `changes`.
    /// - Throws: `CoverageError` for a bad tile size, unreadable inputs, a tile whose scene exceeds `maxCells`.
    public static func make(scenarioPath: String, sitesPath: String?, options: CoverageOptions, tileSizeMeters: Double,
                            previous: TilePlan? = nil) throws -> TilePlan {
        let resolution = options.resolutionMeters
        let ratio = (tileSizeMeters / resolution).rounded()
        guard tileSizeMeters.isFinite, ratio >= 1, abs(ratio * resolution - tileSizeMeters) <= 1e-9 * tileSizeMeters else {
            throw CoverageError.area("the tile size must be a whole multiple of the resolution (\(formatNumber(resolution)) m), got \(formatNumber(tileSizeMeters)) m")
        }
        let inputs = try Inputs(scenario: input(scenarioPath), sites: sitesPath.map(input), dem: options.demPath.map(input))
        let scenario = try TiledCoverage.loadScenario(scenarioPath, sitesPath: sitesPath)
        let resolved = CoverageRun.resolved(options, scenario: scenario)
        let full = try SceneBuilder.grid(for: scenario, area: resolved.area, resolutionMeters: resolution, maxCells: .max)
        let radio = try RadioPlan(scenario: scenario, options: resolved, grid: full)
        let groups = TransmitterGroups(radio.sectors.map(\.transmitter))
        var groupOf = [Int](repeating: 0, count: radio.sectors.count)
        for (g, members) in groups.members.enumerated() { for i in members { groupOf[i] = g } }

        // Everything every tile depends on.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let assumptions = String(decoding: try encoder.encode(resolved.assumptions), as: UTF8.self)
        let planOptions = Options(operators: options.operators, resolutionMeters: resolution, bbox: options.area,
                                  receiverHeightMeters: options.receiverHeightMeters, model: options.model.rawValue,
                                  maxRangeMeters: options.maxRangeMeters, maxCornerTurns: options.maxCornerTurns)
        let optionText = String(decoding: try encoder.encode(planOptions), as: UTF8.self)
        let layers = radio.layers.map { "\($0.operatorName)/\($0.bandName)/\($0.centreFrequencyHz.bitPattern)/\($0.interferenceFactor.bitPattern)" }
        let global = ["kernel \(kernelVersion)", "grid \(full.minX.bitPattern) \(full.maxY.bitPattern) \(full.columns) \(full.rows) \(resolution.bitPattern)",
                      "options \(optionText)", "assumptions \(assumptions)", "scene \(sceneSignature(scenario))",
                      "dem \(inputs.dem?.sha256 ?? "flat")", "layers \(layers.joined(separator: ","))",
                      "sectors \(radio.sectors.count)"].joined(separator: "\n")

        var patternSignatures: [String: String] = [:]
        let transmitters = radio.sectors.enumerated().map { i, planned -> Transmitter in
            let t = planned.transmitter, s = planned.sector
            let pattern = patternSignatures[s.pattern] ?? patternSignature(s.pattern)
            patternSignatures[s.pattern] = pattern
            let window = t.window(in: full)
            let cell = full.cell(containing: t.position)
            let fields: [String] = [
                "\(i)", s.id, s.siteID, s.operatorName, s.band, "\(s.centreFrequencyHz.bitPattern)", "\(s.bandwidthHz.bitPattern)",
                "\(s.eirpDBm.bitPattern)", "\(s.antennaHeightMeters.bitPattern)", "\(s.azimuthDegrees.bitPattern)",
                "\(s.downtiltDegrees.bitPattern)", pattern, "\(s.isAssumption)", "\(t.position.x.bitPattern)", "\(t.position.y.bitPattern)",
                "\(t.maxRangeMeters.bitPattern)", "cell \(cell.map { "\($0.column),\($0.row)" } ?? "outside")",
                "group \(groupOf[i]) rep \(groups.members[groupOf[i]][0])", "layer \(planned.layer) op \(planned.operatorIndex) #\(planned.indexInOperator)",
            ]
            return Transmitter(index: i, id: s.id, site: s.siteID, operatorName: s.operatorName, band: s.band, x: t.position.x, y: t.position.y,
                               rangeMeters: t.maxRangeMeters, window: window,
                               signature: Checksum.sha256(Data(fields.joined(separator: "\u{1F}").utf8)))
        }

        // The tile lattice: global cell indices (x east, y north of the grid's lower edges) divided by the cells per tile.
        let k = Int(ratio)
        let x0 = Int((full.minX / resolution).rounded()), yTop = Int((full.maxY / resolution).rounded())
        func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
        let firstTileColumn = floorDiv(x0, k), lastTileColumn = floorDiv(x0 + full.columns - 1, k)
        let topTileRow = floorDiv(yTop - 1, k), bottomTileRow = floorDiv(yTop - full.rows, k)
        let all = CellBox(column: 0, row: 0, columns: full.columns, rows: full.rows)
        var tiles: [Tile] = []
        for ty in stride(from: topTileRow, through: bottomTileRow, by: -1) {
            // Grid rows whose cell's lower edge index y = yTop - row - 1 lies in [ty k, ty k + k).
            let r0 = max(0, yTop - (ty * k + k)), r1 = min(full.rows, yTop - ty * k)
            for tx in firstTileColumn...lastTileColumn {
                let c0 = max(0, tx * k - x0), c1 = min(full.columns, tx * k + k - x0)
                guard r1 > r0, c1 > c0 else { continue }
                let cells = CellBox(column: c0, row: r0, columns: c1 - c0, rows: r1 - r0)
                var scene = cells
                var members: [Int] = []
                for t in transmitters { if let w = t.window, w.intersects(cells) {
                    members.append(t.index)
                    scene = scene.union(w.expanded(by: LitfassKernel.Transmitter.sceneMarginCells).intersection(all))
                } }
                guard scene.cellCount <= options.maxCells else {
                    throw CoverageError.area(String(format: "tile %d's scene (the windows of its %d transmitters) would have %d × %d = %.1f M cells (limit %.1f M); give --max-range, a coarser --resolution or a smaller --bbox",
                                                    tiles.count, members.count, scene.columns, scene.rows, Double(scene.cellCount) / 1e6, Double(options.maxCells) / 1e6))
                }
                let box = full.subgrid(cells).boundingBox
                let text = [global, "tile \(cells.column) \(cells.row) \(cells.columns) \(cells.rows)"] + members.map { transmitters[$0].signature }
                tiles.append(Tile(index: tiles.count, minX: box.minX, minY: box.minY, maxX: box.maxX, maxY: box.maxY, cells: cells, scene: scene,
                                  transmitters: members, signature: Checksum.sha256(Data(text.joined(separator: "\n").utf8))))
            }
        }

        var changes: Changes?
        if let previous {
            let before = Dictionary(previous.tiles.map { ("\($0.minX) \($0.minY) \($0.maxX) \($0.maxY)", $0.signature) }, uniquingKeysWith: { a, _ in a })
            let changedTiles = tiles.filter { before["\($0.minX) \($0.minY) \($0.maxX) \($0.maxY)"] != $0.signature }.count
            let old = Dictionary(previous.transmitters.map { ($0.id, $0.signature) }, uniquingKeysWith: { a, _ in a })
            let new = Set(transmitters.map(\.id))
            let changedTransmitters = transmitters.filter { old[$0.id] != $0.signature }.count + old.keys.filter { !new.contains($0) }.count
            changes = Changes(tiles: changedTiles, transmitters: changedTransmitters)
        }
        let grid = Grid(minX: full.minX, maxY: full.maxY, cellSizeMeters: resolution, columns: full.columns, rows: full.rows)
        return TilePlan(tileSizeMeters: tileSizeMeters, grid: grid, tileCount: tiles.count, operators: radio.operators.map(\.name),
                        inputs: inputs, options: planOptions, transmitters: transmitters, tiles: tiles, changes: changes)
    }

    /// An input file with its absolute path and checksum.
    static func input(_ path: String) throws -> Input {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        do { return Input(path: absolute, sha256: try Checksum.sha256(fileAt: absolute)) } catch {
            throw CoverageError.plan(file: path, message: "cannot read: \(error.localizedDescription)")
        }
    }

    /// A pattern's name, with the checksum of its file when it names one.
    static func patternSignature(_ name: String) -> String {
        guard FileManager.default.fileExists(atPath: name), let sum = try? Checksum.sha256(fileAt: name) else { return name }
        return name + " sha256=" + sum
    }

    /// SHA-256 of what the scene is built from in the scenario: the buildings (order, height, footprint) and the data area.
    static func sceneSignature(_ scenario: Scenario) -> String {
        var bytes: [UInt64] = []
        func ring(_ points: [MapPoint]) {
            bytes.append(UInt64(points.count))
            for p in points { bytes.append(p.x.bitPattern); bytes.append(p.y.bitPattern) }
        }
        func polygons(_ list: [Polygon]) {
            bytes.append(UInt64(list.count))
            for p in list { ring(p.exterior); bytes.append(UInt64(p.holes.count)); p.holes.forEach(ring) }
        }
        for b in scenario.buildings {
            bytes.append(b.heightMeters.bitPattern)
            polygons(b.footprint)
        }
        bytes.append(UInt64.max)
        if let area = scenario.dataArea { polygons(area) }
        return Checksum.sha256(bytes.withUnsafeBytes { Data($0) })
    }
}
