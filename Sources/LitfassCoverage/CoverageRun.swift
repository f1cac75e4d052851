import Foundation
import LitfassGeo
import LitfassKernel
import LitfassRadio
import LitfassScenario

/// A coverage run over a scenario: the scene, the radio plan and the kernel, set up once; `run`
/// computes the maps of every selected operator, `linksAt` answers for one point with the same physics.
///
/// ```swift
/// let run = try CoverageRun(scenario: try ScenarioStore.load(path: path), options: CoverageOptions())
/// let result = try run.run()
/// try CoverageWriter().write(result, to: "out/")
/// ```
///
/// Sharing: sectors that differ only in id and EIRP (the same band of several operators on a shared
/// mast, `TransmitterGroups`) are computed once and merged with their EIRP difference.
///
/// Determinism: kernel windows are computed in parallel in batches, then merged into the
/// per-carrier arrays in a fixed order (groups in order of first appearance, members in sector
/// order; ties go to the lower sector index), so results are bit-identical on 1 and N threads.
/// Memory: one window per group of the current batch (2 × threads) plus three arrays per carrier
/// layer; never one raster per sector.
public final class CoverageRun: Sendable {
    /// The scenario (sites and sectors as given, possibly replaced by a site list).
    public let scenario: Scenario
    /// The options of the run.
    public let options: CoverageOptions
    /// The scene the kernel propagates through (grid, ground, buildings).
    public let scene: Scene
    /// The sectors of the selected operators, grouped into carrier layers.
    public let plan: RadioPlan
    /// The propagation kernel over `scene`.
    public let kernel: PropagationKernel
    /// SINR and throughput arithmetic under `options.assumptions`.
    public let physics: LinkPhysics
    /// Warnings from setting up (e.g. partial terrain coverage).
    public let warnings: [String]

    /// Sets up a run: grid, scene (buildings rasterised, ground), transmitters of the selected operators.
    /// - Throws: `CoverageError` for a bad area, an unknown operator or band, a pattern or terrain
    ///   file that cannot be read.
    public convenience init(scenario: Scenario, options: CoverageOptions = CoverageOptions()) throws {
        let options = Self.resolved(options, scenario: scenario)
        let grid = try SceneBuilder.grid(for: scenario, area: options.area, resolutionMeters: options.resolutionMeters, maxCells: options.maxCells)
        try self.init(scenario: scenario, resolvedOptions: options, fullGrid: grid, sceneCells: nil, outputCells: nil)
    }

    /// The cells of the scene grid the maps cover: all of them for a whole run, one tile's for a tile of a plan.
    let output: CellBox
    /// `dataAreaMask()` when it came with the scene through the cache (`.some(nil)`: the scenario has no data area);
    /// nil: computed when asked (and an error reported then).
    let cachedDataAreaMask: [UInt8]??
    /// The scene's key in the scene cache (`SceneCache.key(for:grid:)`) when the scene came from it or went into it.
    let sceneCacheKey: String?

    /// The options with the scenario's radio assumptions put in (when `appliesScenarioAssumptions`).
    static func resolved(_ options: CoverageOptions, scenario: Scenario) -> CoverageOptions {
        var options = options
        if options.appliesScenarioAssumptions { options.assumptions = options.assumptions.applying(scenario.assumptions.radio) }
        return options
    }

    /// Sets up a run whose scene covers `sceneCells` of `fullGrid` (the whole run's grid) and whose maps cover
    /// `outputCells` of it (nil: all of it). Ranges and sectors are those of the whole run on `fullGrid`, so
    /// every map cell gets the value the whole run gives it when the scene holds the windows of every sector reaching
    /// the output (see `TilePlan`).
    init(scenario: Scenario, resolvedOptions options: CoverageOptions, fullGrid: RasterGrid, sceneCells: CellBox?, outputCells: CellBox?) throws {
        self.scenario = scenario
        self.options = options
        let all = CellBox(column: 0, row: 0, columns: fullGrid.columns, rows: fullGrid.rows)
        let sceneBox = sceneCells ?? all
        let grid = sceneBox == all ? fullGrid : fullGrid.subgrid(sceneBox)
        if options.demPath == nil, sceneCells == nil, outputCells == nil, let folder = options.sceneCacheDirectory {
            // A whole run over flat ground: the scene and the data-area mask from the cache when an earlier run stored them.
            let cached = try SceneCache.scene(for: scenario, grid: grid, directory: URL(fileURLWithPath: folder)) {
                try Self.dataAreaMask(scenario, grid: grid)
            }
            self.scene = cached.scene
            self.cachedDataAreaMask = cached.dataAreaMask
            self.sceneCacheKey = cached.key
            self.warnings = []
        } else {
            (self.scene, self.warnings) = try SceneBuilder.scene(for: scenario, grid: grid, demPath: options.demPath)
            self.cachedDataAreaMask = nil
            self.sceneCacheKey = nil
        }
        let outputBox = outputCells ?? sceneBox
        self.output = CellBox(column: outputBox.column - sceneBox.column, row: outputBox.row - sceneBox.row,
                              columns: outputBox.columns, rows: outputBox.rows)
        self.plan = try RadioPlan(scenario: scenario, options: options, grid: fullGrid)
        var settings = KernelSettings(receiverHeightMeters: options.receiverHeightMeters, model: options.model)
        if let turns = options.maxCornerTurns { settings.maxCornerTurns = try KernelSettings.validateCornerTurns(turns, argument: "maxCornerTurns") }
        self.kernel = PropagationKernel(scene: self.scene, settings: settings)
        self.physics = LinkPhysics(assumptions: options.assumptions)
    }

    /// The grid of the maps: the scene's grid, or the tile's part of it.
    public var outputGrid: RasterGrid {
        output == CellBox(column: 0, row: 0, columns: scene.grid.columns, rows: scene.grid.rows) ? scene.grid : scene.grid.subgrid(output)
    }

    /// Per carrier layer while merging: strongest RSRP, its sector, and the sum of all other
    /// contributions (linear, per RE).
    private final class Accumulator: @unchecked Sendable {
        let best: SharedArray<Float>
        let server: SharedArray<Int32>
        let others: SharedArray<Double>
        init(count: Int, threads: Int) {
            best = SharedArray(repeating: -.infinity, count: count, threads: threads)
            server = SharedArray(repeating: -1, count: count, threads: threads)
            others = SharedArray(repeating: 0, count: count, threads: threads)
        }
    }

    /// Pointers into arrays that workers fill at disjoint rows.
    private struct Output: @unchecked Sendable {
        var rsrp, sinr, dl, ul: UnsafeMutableBufferPointer<Float>
        var server: UnsafeMutableBufferPointer<Int32>

        /// Cell `c` without service: nodata in every map, no server.
        func setNoService(_ c: Int) {
            rsrp[c] = CoverageResult.noData
            sinr[c] = CoverageResult.noData
            dl[c] = CoverageResult.noData
            ul[c] = CoverageResult.noData
            server[c] = -1
        }
    }

    /// Computes the maps.
    /// - Parameter progress: called on the calling thread after each batch of sectors.
    /// - Returns: per operator, per carrier and combined maps.
    public func run(progress: (CoverageProgress) -> Void = { _ in }) throws -> CoverageResult {
        let kernel = self.kernel
        // Cells outside the building data's area stay nodata in every map, so the kernel gives them no value either
        // (here the maps' grid is the scene's, so the mask serves both).
        let mask = try dataAreaMask()
        return try run(progress: progress, mask: mask) { _, transmitter in
            mask.map { kernel.compute(transmitter, receivers: $0) } ?? kernel.compute(transmitter)
        }
    }

    /// Computes the maps with the windows `window` gives per transmitter group (`TransmitterGroups` of the plan's
    /// sectors, called with the group index and its representative); nil for a group that reaches no cell of the
    /// output. The windows are in scene-grid cells, as `PropagationKernel.compute` gives them.
    /// - Parameter mask: `dataAreaMask()`, computed by the caller (nil: the scenario states no data area).
    func run(progress: (CoverageProgress) -> Void = { _ in }, mask: [UInt8]?,
             window: @escaping @Sendable (_ group: Int, _ representative: Transmitter) throws -> CoverageWindow?) throws -> CoverageResult {
        let start = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        let grid = outputGrid
        let shift = (column: output.column, row: output.row)
        let count = grid.cellCount
        let threads = max(1, options.threads)
        let accumulators = plan.layers.map { _ in Accumulator(count: count, threads: threads) }
        let sectors = plan.sectors
        let floor = options.assumptions.rsrpFloorDBm
        let bandRows = max(1, (grid.rows + threads * 4 - 1) / (threads * 4))
        let bands = (grid.rows + bandRows - 1) / bandRows
        let batchSize = max(2, threads * 2)
        // Sectors that differ only in id and EIRP share one kernel run (`TransmitterGroups`); a member's RSRP is the
        // representative's received power shifted by its EIRP difference, minus its resource-element offset.
        let groups = TransmitterGroups(sectors.map(\.transmitter))
        let offsets = sectors.indices.map { sectors[$0].radio.resourceElementOffsetDB - groups.eirpShiftDB[$0] }
        let layerOf = sectors.map(\.layer)
        progress(CoverageProgress(completedSectors: 0, totalSectors: sectors.count, elapsedSeconds: 0))
        var next = 0, completed = 0
        var phases: [String: Double] = ["kernel": 0, "merge": 0]
        var mark = elapsed()
        func lap(_ phase: String) {
            let now = elapsed()
            phases[phase, default: 0] += now - mark
            mark = now
        }
        while next < groups.members.count {
            let batch = Array(next..<min(next + batchSize, groups.members.count))
            let slots = Slots<CoverageWindow?>(count: batch.count)
            let failures = Slots<Error?>(count: batch.count)
            parallelFor(batch.count, threads: threads) { i in
                do {
                    // Window cells relative to the output grid.
                    var w = try window(batch[i], sectors[groups.members[batch[i]][0]].transmitter)
                    w?.columnOffset -= shift.column
                    w?.rowOffset -= shift.row
                    slots.set(i, w)
                    failures.set(i, nil)
                } catch {
                    slots.set(i, nil)
                    failures.set(i, error)
                }
            }
            if let failure = failures.values().compactMap({ $0 }).first { throw failure }
            let windows = slots.values()
            lap("kernel")
            for case let w? in windows {
                for (phase, seconds) in w.phaseSeconds { phases["kernel: " + phase, default: 0] += seconds }
            }
            // Merge by row bands: every cell sees the batch's groups in order, each group's members in sector order.
            parallelFor(bands, threads: threads) { band in
                let r0 = band * bandRows, r1 = min(grid.rows, r0 + bandRows)
                for k in windows.indices {
                    guard let w = windows[k] else { continue }
                    for s in groups.members[batch[k]] {
                        Self.merge(w, sectorIndex: s, offset: offsets[s], floor: floor, rows: r0..<r1, grid: grid,
                                   into: accumulators[layerOf[s]])
                    }
                }
            }
            lap("merge")
            next += batch.count
            completed += batch.reduce(0) { $0 + groups.members[$1].count }
            progress(CoverageProgress(completedSectors: completed, totalSectors: sectors.count, elapsedSeconds: elapsed()))
        }

        let inside: [UInt8] = mask ?? []
        // Per carrier: SINR and throughput of the best server.
        let radios = sectors.map(\.radio)
        let localIndex = sectors.map { Int32($0.indexInOperator) }
        var carrierMaps: [CoverageMaps] = []
        for (layerIndex, layer) in plan.layers.enumerated() {
            var maps = CoverageMaps.unfilled(count: count)
            let acc = accumulators[layerIndex]
            let physics = self.physics
            let noise = layer.noisePerResourceElementDBm
            let factor = layer.interferenceFactor
            maps.rsrpDBm.withUnsafeMutableBufferPointer { rsrp in
                maps.sinrDB.withUnsafeMutableBufferPointer { sinr in
                    maps.downlinkMbps.withUnsafeMutableBufferPointer { dl in
                        maps.uplinkMbps.withUnsafeMutableBufferPointer { ul in
                            maps.bestServer.withUnsafeMutableBufferPointer { server in
                                let out = Output(rsrp: rsrp, sinr: sinr, dl: dl, ul: ul, server: server)
                                parallelFor(bands, threads: threads) { band in
                                    let c0 = band * bandRows * grid.columns, c1 = min(grid.rows, (band + 1) * bandRows) * grid.columns
                                    for c in c0..<c1 {
                                        let s = Int(acc.server.pointer[c])
                                        guard s >= 0, inside.isEmpty || inside[c] != 0 else {
                                            out.setNoService(c)
                                            continue
                                        }
                                        let radio = radios[s]
                                        let best = Double(acc.best.pointer[c])
                                        let q = physics.sinrDB(servingDBm: best, interferenceMilliwatts: acc.others.pointer[c], noiseDBm: noise,
                                                                interferenceFactor: factor)
                                        out.rsrp[c] = Float(best)
                                        out.server[c] = localIndex[s]
                                        out.sinr[c] = Float(q)
                                        out.dl[c] = Float(physics.downlinkMbps(sinrDB: q, sector: radio))
                                        out.ul[c] = Float(physics.uplinkMbps(rsrpDBm: best, sector: radio))
                                    }
                                }
                            }
                        }
                    }
                }
            }
            carrierMaps.append(maps)
        }
        lap("carrier maps")

        // Per operator: the strongest carrier's RSRP/SINR/server, downlink summed over the carriers (carrier
        // aggregation), uplink the best single carrier (the UE's 23 dBm go to one uplink carrier at a time).
        var operators: [OperatorCoverage] = []
        for op in plan.operators {
            var combined: CoverageMaps
            var strongest: [Int8]
            if op.layers.count == 1 {
                // One carrier: the combination is that carrier's maps, value for value (its downlink summed with nothing,
                // its uplink the best of one; throughputs are never negative) — shared, not copied.
                combined = carrierMaps[op.layers[0]]
                let server = combined.bestServer
                strongest = [Int8](unsafeUninitializedCapacity: count) { buffer, initialized in
                    let out = UncheckedBuffer(buffer)
                    parallelFor(bands, threads: threads) { band in
                        for c in band * bandRows * grid.columns..<min(grid.rows, (band + 1) * bandRows) * grid.columns {
                            out.buffer[c] = server[c] >= 0 ? 0 : -1
                        }
                    }
                    initialized = count
                }
            } else {
                combined = CoverageMaps.unfilled(count: count)
                strongest = [Int8](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }   // every cell below
                let rsrp = op.layers.map { carrierMaps[$0].rsrpDBm }, server = op.layers.map { carrierMaps[$0].bestServer }
                let sinr = op.layers.map { carrierMaps[$0].sinrDB }
                let down = op.layers.map { carrierMaps[$0].downlinkMbps }, up = op.layers.map { carrierMaps[$0].uplinkMbps }
                combined.rsrpDBm.withUnsafeMutableBufferPointer { crsrp in
                combined.bestServer.withUnsafeMutableBufferPointer { cserver in
                combined.sinrDB.withUnsafeMutableBufferPointer { csinr in
                combined.downlinkMbps.withUnsafeMutableBufferPointer { cdl in
                combined.uplinkMbps.withUnsafeMutableBufferPointer { cul in
                strongest.withUnsafeMutableBufferPointer { cstrong in
                    let out = Output(rsrp: crsrp, sinr: csinr, dl: cdl, ul: cul, server: cserver)
                    let strong = UncheckedBuffer(cstrong)
                    parallelFor(bands, threads: threads) { band in
                        let c0 = band * bandRows * grid.columns, c1 = min(grid.rows, (band + 1) * bandRows) * grid.columns
                        for c in c0..<c1 {
                            var bestLayer = -1
                            var dl: Float = 0, ul: Float = 0
                            for k in 0..<rsrp.count where server[k][c] >= 0 {
                                if bestLayer < 0 || rsrp[k][c] > rsrp[bestLayer][c] { bestLayer = k }
                                dl += down[k][c]
                                ul = max(ul, up[k][c])
                            }
                            guard bestLayer >= 0 else {
                                strong.buffer[c] = -1
                                out.setNoService(c)
                                continue
                            }
                            strong.buffer[c] = Int8(bestLayer)
                            out.rsrp[c] = rsrp[bestLayer][c]
                            out.server[c] = server[bestLayer][c]
                            out.sinr[c] = sinr[bestLayer][c]
                            out.dl[c] = dl
                            out.ul[c] = ul
                        }
                    }
                }}}}}}
            }
            let carriers = op.layers.map { i in
                CarrierCoverage(band: plan.layers[i].bandName, centreFrequencyHz: plan.layers[i].centreFrequencyHz,
                                label: plan.layers[i].label, maps: carrierMaps[i])
            }
            operators.append(OperatorCoverage(name: op.name, sectors: op.sectors.map { sectors[$0].sector }, carriers: carriers,
                                              combined: combined, strongestCarrier: strongest))
        }
        lap("combination")
        return CoverageResult(grid: grid, scene: grid == scene.grid ? scene : scene.cropped(output), operators: operators, buildings: scenario.buildings, sites: scenario.sites,
                              provenance: scenario.provenance, options: options,
                              isIllustrative: plan.sectors.contains { $0.sector.isAssumption }, warnings: warnings,
                              elapsedSeconds: elapsed(), phaseSeconds: phases, dataAreaMask: mask,
                              sceneCacheKey: grid == scene.grid ? sceneCacheKey : nil)
    }

    /// The scenario's data area rasterised onto the maps' grid (1 inside, by cell centre; GDAL's rasteriser), or nil when
    /// the scenario has none.
    /// - Throws: `CoverageError.area` when rasterising fails.
    public func dataAreaMask() throws -> [UInt8]? {
        if let cached = cachedDataAreaMask { return cached }
        return try Self.dataAreaMask(scenario, grid: outputGrid)
    }

    /// `dataAreaMask()` of a scenario on a grid.
    static func dataAreaMask(_ scenario: Scenario, grid: RasterGrid) throws -> [UInt8]? {
        guard let area = scenario.dataArea else { return nil }
        guard !area.isEmpty else { return [UInt8](repeating: 0, count: grid.cellCount) }
        do {
            return try RasterIO.rasterize(area, values: [Double](repeating: 1, count: area.count), onto: grid, background: 0)
                .map { $0 > 0 ? 1 : 0 }
        } catch {
            throw CoverageError.area("cannot rasterise the data area: \(error)")
        }
    }

    /// Whether a point [m] lies in the area the scenario's building data covers (true when it states none).
    public func isInDataArea(_ point: MapPoint) -> Bool {
        guard let area = scenario.dataArea else { return true }
        let engine = GeometryEngine()
        return (try? engine.contains(.multiPolygon(area), point)) ?? true
    }

    /// Merges the rows `rows` of one sector's window into its layer.
    private static func merge(_ window: CoverageWindow, sectorIndex: Int, offset: Double, floor: Double, rows: Range<Int>,
                              grid: RasterGrid, into acc: Accumulator) {
        let rowStart = max(rows.lowerBound, window.rowOffset), rowEnd = min(rows.upperBound, window.rowOffset + window.rows)
        let colStart = max(0, window.columnOffset), colEnd = min(grid.columns, window.columnOffset + window.columns)
        guard rowStart < rowEnd, colStart < colEnd else { return }
        let best = acc.best.pointer, server = acc.server.pointer, others = acc.others.pointer
        let id = Int32(sectorIndex)
        window.receivedPowerDBm.withUnsafeBufferPointer { power in
            for row in rowStart..<rowEnd {
                let windowRow = (row - window.rowOffset) * window.columns - window.columnOffset
                let gridRow = row * grid.columns
                for column in colStart..<colEnd {
                    let received = power[windowRow + column]
                    guard received > -.infinity else { continue }
                    let rsrp = Float(Double(received) - offset)
                    guard Double(rsrp) >= floor else { continue }
                    let c = gridRow + column
                    let current = best[c]
                    // The lower sector index wins a tie, whatever the merge order.
                    if rsrp > current || (rsrp == current && id < server[c]) {
                        if server[c] >= 0 { others[c] += Double(LinkPhysics.milliwatts(current)) }
                        best[c] = rsrp
                        server[c] = id
                    } else {
                        others[c] += Double(LinkPhysics.milliwatts(rsrp))
                    }
                }
            }
        }
    }
}

extension RasterGrid {
    /// The grid of `cells` of this grid (same lattice, same CRS).
    func subgrid(_ cells: CellBox) -> RasterGrid {
        RasterGrid(minX: minX + Double(cells.column) * cellSizeMeters, maxY: maxY - Double(cells.row) * cellSizeMeters,
                   cellSizeMeters: cellSizeMeters, columns: cells.columns, rows: cells.rows, crs: crs)
    }
}

extension Scene {
    /// The scene over `cells` of its grid.
    func cropped(_ cells: CellBox) -> Scene {
        func crop<T>(_ values: [T]) -> [T] {
            var out: [T] = []
            out.reserveCapacity(cells.cellCount)
            for row in cells.row..<cells.endRow {
                let start = row * grid.columns + cells.column
                out.append(contentsOf: values[start..<(start + cells.columns)])
            }
            return out
        }
        return Scene(grid: grid.subgrid(cells), groundHeightMeters: crop(groundHeightMeters), buildingHeightMeters: crop(buildingHeightMeters),
                     buildingIndex: crop(buildingIndex))
    }
}
