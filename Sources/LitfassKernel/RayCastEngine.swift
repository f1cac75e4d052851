import Foundation
import LitfassGeo
import LitfassRadio

/// Read-only view of the scene arrays, valid while the owning arrays are pinned.
struct SceneView: @unchecked Sendable {
    let ground: UnsafePointer<Float>
    let height: UnsafePointer<Float>
    let index: UnsafePointer<Int32>
    let columns: Int
    let rows: Int
    let cellSize: Double
    @inline(__always) func surface(_ i: Int) -> Double { Double(ground[i]) + Double(height[i]) }
}

/// One window cell as the radial sweep reads it (12 bytes, one load per step).
struct PackedCell {
    var surface: Float
    var ground: Float
    var index: Int32
}

/// Per-cell flags of a run (internal).
enum CellFlag {
    static let computed: UInt8 = 1
    static let directLOS: UInt8 = 2
    /// Seen from the transmitter at street level (horizontal plane, building cells block).
    static let visible2D: UInt8 = 4
    /// A building-corner node (outdoor cell diagonal to a convex building corner).
    static let node: UInt8 = 8
    /// A building cell (set for the whole window before the corner search, so its sweeps read one byte per step).
    static let building: UInt8 = 16
}

/// Everything fixed for one transmitter and one run.
struct RunSetup: Sendable {
    let c0: Int, r0: Int, columns: Int, rows: Int
    let txCol: Int, txRow: Int
    /// The radial sweep's rays (one radius per side, ending on the window border).
    let rays: RaySet
    let range: Double
    let zTx: Double
    let hRx: Double
    let frequency: Double
    let lambda: Double
    let eirp: Double
    /// `Transmitter.pathLossBudgetDB`.
    let pathLossBudget: Double
    let maxGain: Double
    let azimuth: Double
    let downtilt: Double
    let hTxAboveGround: Double
    let pattern: AntennaPattern
    let model: PropagationModel
    /// P.2109 loss at |θ| = 0°, 0.25°, …, 90°.
    let belTable: [Double]
    let cornerTurns: Int
    let cornerRadiusCells: Int
    let cornerLoss: CornerLossModel
    let threads: Int
    let cellSize: Double
    /// d'_BP² + (h_BS − h_UT)² [m²] of the two-slope line-of-sight loss (`.rayCast` only; +∞ disables it).
    let breakpointSquared: Double
    /// 0.9 · 20 log10(4π f / c) + 9 log10(`breakpointSquared`) [dB]: the two-slope excess is 0.9 · FSPL minus this
    /// (see `directModelLoss`), so the hot loop takes no second logarithm.
    let twoSlopeOffsetDB: Double

    /// The number of active processors (read once: reading it costs a few file reads on Linux).
    static let processorCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// The P.2109 table of `init` (361 evaluations of the model).
    static func entryLossTable(frequencyHz: Double, settings: KernelSettings) -> [Double] {
        (0...360).map { k in
            P2109.lossDB(frequencyHz: frequencyHz, probabilityPercent: settings.buildingEntryProbabilityPercent,
                         elevationDeg: Double(k) * 0.25, buildingClass: settings.buildingClass)
        }
    }

    /// - Parameter belTable: `entryLossTable(frequencyHz: tx.frequencyHz, settings: settings)` when the caller has it.
    init?(scene: Scene, transmitter tx: Transmitter, settings: KernelSettings, belTable table: [Double]? = nil) {
        let grid = scene.grid
        guard let (tc, tr) = grid.cell(containing: tx.position), tx.maxRangeMeters > 0 else { return nil }
        cellSize = grid.cellSizeMeters
        txCol = tc; txRow = tr
        let reach = tx.reachCells(cellSizeMeters: cellSize)   // the one rule, shared with `Transmitter.window(in:)`
        c0 = max(0, tc - reach); r0 = max(0, tr - reach)
        columns = min(grid.columns - 1, tc + reach) - c0 + 1
        rows = min(grid.rows - 1, tr + reach) - r0 + 1
        // The ray set only needs to reach the farthest window edge.
        rays = RaySet(east: c0 + columns - 1 - tc, west: tc - c0, south: r0 + rows - 1 - tr, north: tr - r0)
        range = tx.maxRangeMeters
        zTx = Double(scene.groundHeightMeters[tr * grid.columns + tc]) + tx.antennaHeightMeters
        hTxAboveGround = tx.antennaHeightMeters
        hRx = settings.receiverHeightMeters
        frequency = tx.frequencyHz
        lambda = 299_792_458.0 / tx.frequencyHz
        // 3GPP TR 38.901 Table 7.4.1-1 note 1: d'_BP = 4 h'_BS h'_UT f_c / c with h' = h − h_E, h_E = 1 m.
        let dBP = PathLoss38901.breakpointDistanceUMMeters(frequencyHz: tx.frequencyHz, bsHeightMeters: tx.antennaHeightMeters,
                                                           utHeightMeters: settings.receiverHeightMeters, effectiveEnvironmentHeightMeters: 1)
        let dh = tx.antennaHeightMeters - settings.receiverHeightMeters
        breakpointSquared = settings.model == .rayCast && dBP > 0 ? dBP * dBP + dh * dh : .infinity
        twoSlopeOffsetDB = breakpointSquared.isFinite
            ? 0.9 * 20 * log10(4 * Double.pi * tx.frequencyHz / 299_792_458.0) + 9 * log10(breakpointSquared) : 0
        eirp = tx.eirpDBm
        pathLossBudget = tx.pathLossBudgetDB
        maxGain = tx.pattern.maxGainDBi
        azimuth = tx.azimuthDegrees
        downtilt = tx.downtiltDegrees
        pattern = tx.pattern
        model = settings.model
        belTable = table ?? Self.entryLossTable(frequencyHz: tx.frequencyHz, settings: settings)
        // Entry points validate the setting (`KernelSettings.validateCornerTurns`); the clamp only guards the kernel.
        cornerTurns = settings.model == .rayCast ? min(KernelSettings.cornerTurnsLimit, max(0, settings.maxCornerTurns)) : 0
        cornerRadiusCells = max(1, Int((settings.cornerSearchRadiusMeters / cellSize).rounded(.up)))
        cornerLoss = settings.cornerLoss
        threads = settings.threads > 0 ? settings.threads : Self.processorCount
    }

    /// Whether a corner state with key `eirp + gain − (FSPL + turn losses)` [dBm] is within the power budget
    /// (`Transmitter.pathLossBudgetDB`): the one test of the corner search, its point links and the reference solver.
    @inline(__always) func withinBudget(key: Double) -> Bool { key >= eirp - pathLossBudget }

    @inline(__always) func windowIndex(column: Int, row: Int) -> Int { (row - r0) * columns + (column - c0) }
    @inline(__always) func inWindow(column: Int, row: Int) -> Bool {
        column >= c0 && column < c0 + columns && row >= r0 && row < r0 + rows
    }

    /// ITU-R P.2109-1 building entry loss at the arrival elevation (tabulated every 0.25°, linear between).
    @inline(__always) func buildingEntryLoss(elevationDeg: Double) -> Double {
        let a = min(abs(elevationDeg), 90) * 4
        let i = min(Int(a), 359)
        let t = a - Double(i)
        return belTable.withUnsafeBufferPointer { p in p[i] + t * (p[i + 1] - p[i]) }
    }

    /// Gain relative to the pattern maximum [dB] towards (column, row)-space direction and elevation.
    @inline(__always) func gainDelta(dirColumn: Double, dirRow: Double, elevationDeg: Double) -> Double {
        let az = atan2(dirColumn, -dirRow) * 180 / Double.pi
        return pattern.gainDBi(azimuthOffDeg: az - azimuth, elevationDeg: elevationDeg, downtiltDeg: downtilt) - maxGain
    }

    /// Loss of the direct path [dB] for the selected model (without entry loss), given the ray-cast LOS state.
    @inline(__always) func directModelLoss(los: Bool, d2: Double, d3: Double, diffraction: () -> Double) -> Double {
        let d2c = max(d2, 1), d3c = max(d3, 1)
        switch model {
        case .rayCast:
            // Free space, and beyond the breakpoint the two-slope excess of 3GPP TR 38.901 Table 7.4.1-1 UMa LOS:
            // PL2 − PL1 = 18 log10(d_3D) − 9 log10(d'_BP² + (h_BS − h_UT)²) (≥ 0 there). With FSPL = 20 log10(d_3D)
            // + 20 log10(4π f / c) (ITU-R P.525 eq. (4)), 18 log10(d_3D) = 0.9 (FSPL − 20 log10(4π f / c)): no second log.
            var fs = FreeSpace.pathLossDB(distanceMeters: d3c, frequencyHz: frequency)
            if d3c * d3c > breakpointSquared { fs += 0.9 * fs - twoSlopeOffsetDB }
            return los ? fs : fs + diffraction()
        case .freeSpace:
            return FreeSpace.pathLossDB(distanceMeters: d3c, frequencyHz: frequency)
        case .uma:
            return los
                ? PathLoss38901.umaLOS(distance2DMeters: d2c, distance3DMeters: d3c, frequencyHz: frequency,
                                       bsHeightMeters: hTxAboveGround, utHeightMeters: hRx)
                : PathLoss38901.umaNLOS(distance2DMeters: d2c, distance3DMeters: d3c, frequencyHz: frequency,
                                        bsHeightMeters: hTxAboveGround, utHeightMeters: hRx)
        case .umi:
            return los
                ? PathLoss38901.umiLOS(distance2DMeters: d2c, distance3DMeters: d3c, frequencyHz: frequency,
                                       bsHeightMeters: hTxAboveGround, utHeightMeters: hRx)
                : PathLoss38901.umiNLOS(distance2DMeters: d2c, distance3DMeters: d3c, frequencyHz: frequency,
                                        bsHeightMeters: hTxAboveGround, utHeightMeters: hRx)
        case .p1411:
            return P1411.belowRooftopLossDB(distance3DMeters: d3c, frequencyHz: frequency,
                                            environment: los ? .lineOfSight : .nlosUrbanHighRise)
        }
    }
}

/// Mutable output pointers shared by the workers; each cell is written by exactly one computation.
struct OutputView: @unchecked Sendable {
    let power: UnsafeMutablePointer<Float>
    let loss: UnsafeMutablePointer<Float>
    let type: UnsafeMutablePointer<UInt8>
    let flags: UnsafeMutablePointer<UInt8>
    /// 3-D length of the chosen path; only written when `keepDistance` (for `link`).
    let distance: UnsafeMutablePointer<Float>
    let keepDistance: Bool
    /// Per window cell: 1 where a receiver is wanted, 0 where the cell is only walked through (its power, loss and
    /// type stay "not computed", its flags are set as usual); nil: every cell is wanted.
    let wanted: UnsafePointer<UInt8>?
}

/// Runs `body(worker, chunk)` for chunks 0..<chunks on `threads` workers. Workers claim the next chunk from a
/// shared counter (dynamic balancing, so a descheduled worker does not hold up the others); `worker` names the
/// per-worker scratch. Which worker runs a chunk never changes what the chunk writes, so results do not depend
/// on the thread count or the scheduling.
func parallelChunks(_ chunks: Int, threads: Int, _ body: @Sendable (_ worker: Int, _ chunk: Int) -> Void) {
    let workers = min(threads, chunks)
    if workers <= 1 {
        for c in 0..<chunks { body(0, c) }
        return
    }
    let next = ChunkCounter()
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        while true {
            let c = next.claim()
            guard c < chunks else { break }
            body(w, c)
        }
    }
}

/// A shared chunk counter (a lock around an integer; claimed a few dozen times per run).
final class ChunkCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func claim() -> Int {
        lock.lock(); defer { lock.unlock() }
        value += 1
        return value - 1
    }
}

/// Result of the internal engine.
struct EngineResult {
    var window: CoverageWindow
    var flags: [UInt8]
    /// Path length (3-D) of the chosen path [m].
    var distance: [Float]
}

/// The fast kernel: a radial sweep in the vertical plane, then the corner search.
enum RayCastEngine {
    /// - Parameters:
    ///   - keepDistance: also fill `EngineResult.distance` (for `link`); otherwise it stays empty.
    ///   - receivers: per grid cell, 0 where no value is wanted (see `PropagationKernel.compute(_:receivers:)`); nil: all.
    static func run(scene: Scene, transmitter: Transmitter, settings: KernelSettings, keepDistance: Bool = false,
                    receivers: [UInt8]? = nil) -> EngineResult {
        guard let setup = RunSetup(scene: scene, transmitter: transmitter, settings: settings) else {
            return EngineResult(window: CoverageWindow(columnOffset: 0, rowOffset: 0, columns: 0, rows: 0,
                                                       receivedPowerDBm: [], pathLossDB: [], pathType: []),
                                flags: [], distance: [])
        }
        let n = setup.columns * setup.rows
        // Filled with the "not computed" values by the sweep's first (parallel) pass.
        var power = [Float](unsafeUninitializedCapacity: n) { _, count in count = n }
        var loss = [Float](unsafeUninitializedCapacity: n) { _, count in count = n }
        var type = [UInt8](unsafeUninitializedCapacity: n) { _, count in count = n }
        var flags = [UInt8](unsafeUninitializedCapacity: n) { _, count in count = n }
        var distance = [Float](repeating: .infinity, count: keepDistance ? n : 1)
        if let receivers { precondition(receivers.count == scene.grid.cellCount, "one receiver flag per grid cell") }
        // The receiver mask cut to the window (window-indexed, so the sweeps read it like the flags).
        let wanted: UnsafeMutablePointer<UInt8>? = receivers == nil ? nil : .allocate(capacity: n)
        defer { wanted?.deallocate() }
        if let wanted, let receivers {
            receivers.withUnsafeBufferPointer { r in
                for y in 0..<setup.rows {
                    (wanted + y * setup.columns).update(from: r.baseAddress! + (setup.r0 + y) * scene.grid.columns + setup.c0, count: setup.columns)
                }
            }
        }
        var phases: [String: Double] = [:]
        scene.groundHeightMeters.withUnsafeBufferPointer { g in
        scene.buildingHeightMeters.withUnsafeBufferPointer { h in
        scene.buildingIndex.withUnsafeBufferPointer { b in
        power.withUnsafeMutableBufferPointer { pw in
        loss.withUnsafeMutableBufferPointer { ls in
        type.withUnsafeMutableBufferPointer { ty in
        flags.withUnsafeMutableBufferPointer { fl in
        distance.withUnsafeMutableBufferPointer { ds in
            let sv = SceneView(ground: g.baseAddress!, height: h.baseAddress!, index: b.baseAddress!,
                               columns: scene.grid.columns, rows: scene.grid.rows, cellSize: scene.grid.cellSizeMeters)
            let out = OutputView(power: pw.baseAddress!, loss: ls.baseAddress!, type: ty.baseAddress!,
                                 flags: fl.baseAddress!, distance: ds.baseAddress!, keepDistance: keepDistance,
                                 wanted: wanted.map { UnsafePointer($0) })
            let start = DispatchTime.now().uptimeNanoseconds
            verticalSweep(sv, setup, out)
            let swept = DispatchTime.now().uptimeNanoseconds
            phases["direct sweep"] = Double(swept - start) / 1e9
            if setup.cornerTurns > 0 {
                let levels = CornerSearch.run(sv, setup, out)
                for (i, seconds) in levels.enumerated() { phases["corner level \(i + 1)"] = seconds }
                phases["corner set-up"] = max(0, Double(DispatchTime.now().uptimeNanoseconds - swept) / 1e9 - levels.reduce(0, +))
            }
        }}}}}}}}
        var window = CoverageWindow(columnOffset: setup.c0, rowOffset: setup.r0, columns: setup.columns, rows: setup.rows,
                                    receivedPowerDBm: power, pathLossDB: loss, pathType: type)
        window.phaseSeconds = phases
        return EngineResult(window: window, flags: flags, distance: keepDistance ? distance : [])
    }

    /// The radial sweep: 8R rays in chunks, each keeping the upper convex hull of its profile.
    static func verticalSweep(_ sv: SceneView, _ s: RunSetup, _ out: OutputView) {
        // The window's cells packed (surface, ground, building) so that each ray step touches one cache line.
        let packed = UnsafeMutablePointer<PackedCell>.allocate(capacity: s.columns * s.rows)
        defer { packed.deallocate() }
        let packedShared = SharedPointer(packed)
        let rowChunks = min(s.rows, s.threads * 4)
        parallelChunks(rowChunks, threads: s.threads) { _, chunk in
            for y in (s.rows * chunk / rowChunks)..<(s.rows * (chunk + 1) / rowChunks) {
                let g = (s.r0 + y) * sv.columns + s.c0
                let w = packedShared.pointer + y * s.columns
                for x in 0..<s.columns {
                    (w + x).initialize(to: PackedCell(surface: sv.ground[g + x] + sv.height[g + x], ground: sv.ground[g + x],
                                                      index: sv.index[g + x]))
                }
                let o = y * s.columns
                for x in 0..<s.columns {
                    out.power[o + x] = -.infinity; out.loss[o + x] = .infinity; out.type[o + x] = 0; out.flags[o + x] = 0
                }
            }
        }
        // The transmitter's own cell.
        do {
            let gi = s.txRow * sv.columns + s.txCol
            let wi = s.windowIndex(column: s.txCol, row: s.txRow)
            let b = sv.index[gi]
            let zr = Double(sv.ground[gi]) + s.hRx
            let d3 = max(1, abs(s.zTx - zr))
            out.flags[wi] = CellFlag.computed | CellFlag.directLOS | CellFlag.visible2D
            var l = s.directModelLoss(los: true, d2: 0, d3: d3) { 0 }
            let el = zr >= s.zTx ? 90.0 : -90.0
            if b >= 0 { l += s.buildingEntryLoss(elevationDeg: el) }
            let gd = s.gainDelta(dirColumn: 0, dirRow: -1, elevationDeg: el)
            if out.wanted.map({ $0[wi] != 0 }) ?? true {
                out.loss[wi] = Float(l)
                out.power[wi] = Float(s.eirp + gd - l)
                out.type[wi] = PathType.lineOfSight.rawValue
                if out.keepDistance { out.distance[wi] = Float(d3) }
            }
        }
        let rays = s.rays.count
        let stops = out.wanted.map { rayStops(sv, s, wanted: $0) }
        let chunkCount = min(rays, s.threads * 32)
        let capacity = s.rays.maxRadius + 2
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 4 * capacity * s.threads)
        defer { scratch.deallocate() }
        let shared = SharedPointer(scratch)
        parallelChunks(chunkCount, threads: s.threads) { worker, chunk in
            let base = shared.pointer + 4 * capacity * worker
            let lo = rays * chunk / chunkCount, hi = rays * (chunk + 1) / chunkCount
            for r in lo..<hi {
                sweepRay(r, steps: stops?[r], packedShared.pointer, sv.cellSize, s, out, hs: base, hz: base + capacity,
                         ss: base + 2 * capacity, sz: base + 3 * capacity)
            }
        }
    }

    /// Per ray of `s.rays`, how many steps the radial sweep must walk when only the cells flagged in `wanted` get values:
    /// beyond it the ray meets no wanted cell and no cell next to a building (a possible corner node, whose flags the
    /// corner search reads), so the cells there keep "not computed" and no value anywhere changes.
    ///
    /// The window is cut into 16 × 16-cell tiles; a tile counts when it holds a wanted or a building cell, dilated by two
    /// tiles (a cell next to a building lies within one tile of the building's, and a cell within 15 steps of a sample
    /// within one tile of the sample's: a step moves at most one cell along each axis). Each ray is sampled every 16
    /// steps from the transmitter; it must walk 15 steps past the last sample in a counted tile, and no farther than its
    /// end. A ray never returns to the window once it has left it, so the samples stop there.
    static func rayStops(_ sv: SceneView, _ s: RunSetup, wanted: UnsafePointer<UInt8>) -> [Int] {
        let tile = 16
        let tilesX = (s.columns + tile - 1) / tile, tilesY = (s.rows + tile - 1) / tile
        // Which tiles count: one row of tiles per chunk, on the run's threads (a pass over the whole window).
        let counts = UnsafeMutablePointer<Bool>.allocate(capacity: tilesX * tilesY)
        counts.initialize(repeating: false, count: tilesX * tilesY)
        defer { counts.deallocate() }
        let countsShared = SharedPointer(counts), wantedShared = SharedPointer(UnsafeMutablePointer(mutating: wanted))
        parallelChunks(tilesY, threads: s.threads) { _, ty in
            let counts = countsShared.pointer, wanted = wantedShared.pointer
            for y in ty * tile..<min(s.rows, (ty + 1) * tile) {
                let g = (s.r0 + y) * sv.columns + s.c0, w = y * s.columns, t = ty * tilesX
                var x = 0
                while x < s.columns {
                    let end = min(s.columns, x + tile)
                    if !counts[t + x / tile] {
                        for xx in x..<end where wanted[w + xx] != 0 || sv.index[g + xx] >= 0 { counts[t + x / tile] = true; break }
                    }
                    x = end
                }
            }
        }
        var dilated = [Bool](repeating: false, count: tilesX * tilesY)
        for ty in 0..<tilesY {
            for tx in 0..<tilesX where counts[ty * tilesX + tx] {
                for yy in max(0, ty - 2)...min(tilesY - 1, ty + 2) {
                    for xx in max(0, tx - 2)...min(tilesX - 1, tx + 2) { dilated[yy * tilesX + xx] = true }
                }
            }
        }
        let tx0 = s.txCol - s.c0, ty0 = s.txRow - s.r0
        let rays = s.rays.count, chunkCount = min(rays, s.threads * 32)
        guard rays > 0 else { return [] }
        return [Int](unsafeUninitializedCapacity: rays) { buffer, initialized in
            let stops = SharedPointer(buffer.baseAddress!)
            parallelChunks(chunkCount, threads: s.threads) { [dilated] _, chunk in
                for r in rays * chunk / chunkCount..<rays * (chunk + 1) / chunkCount {
                    let (px, py, radius) = s.rays.ray(r)
                    var last = -1
                    var i = 0
                    while i <= radius {
                        let (dx, dy) = RayGeometry.step(i, px: px, py: py, radius: radius)
                        let x = tx0 + dx, y = ty0 + dy
                        guard x >= 0, x < s.columns, y >= 0, y < s.rows else { break }
                        if dilated[(y / tile) * tilesX + x / tile] { last = i }
                        i += tile
                    }
                    (stops.pointer + r).initialize(to: last < 0 ? 0 : min(radius, last + tile - 1))
                }
            }
            initialized = rays
        }
    }

    /// One ray: walk outwards, evaluate the cells it owns, then push their samples onto the hull.
    /// - Parameter steps: how far to walk (`rayStops`); nil: to the ray's end.
    @inline(__always)
    static func sweepRay(_ rayIndex: Int, steps: Int?, _ cells: UnsafeMutablePointer<PackedCell>, _ cellSize: Double, _ s: RunSetup, _ out: OutputView,
                         hs: UnsafeMutablePointer<Double>, hz: UnsafeMutablePointer<Double>,
                         ss: UnsafeMutablePointer<Double>, sz: UnsafeMutablePointer<Double>) {
        let (px, py, R) = s.rays.ray(rayIndex)
        let stepLen = RayGeometry.stepLength(px: px, py: py, radius: R, cellSize: cellSize)
        let az = atan2(Double(px), -Double(py)) * 180 / Double.pi - s.azimuth
        let rangeCells2 = (s.range / cellSize) * (s.range / cellSize)
        hs[0] = 0; hz[0] = s.zTx
        var n = 1
        var sn = 1      // snapshot size (hull before the current building run)
        var run = RunTracker()
        var walker = RayWalker(px: px, py: py, radius: R)
        let tx = s.txCol - s.c0, ty = s.txRow - s.r0
        let end = steps ?? R
        guard end >= 1 else { return }
        for i in 1...end {
            let (dx, dy, owned) = walker.advance()
            let x = tx &+ dx, y = ty &+ dy
            guard UInt(bitPattern: x) < UInt(bitPattern: s.columns), UInt(bitPattern: y) < UInt(bitPattern: s.rows) else { break }
            let wi = y &* s.columns &+ x
            let cell = cells[wi]
            let b = cell.index
            let sDist = Double(i) * stepLen
            if owned && Double(dx * dx + dy * dy) <= rangeCells2 {
                let zr = Double(cell.ground) + s.hRx
                let own = run.inOwnRun(target: b)
                let vis = run.visible(target: b)
                let (ps, pz, cnt) = own ? (UnsafePointer(ss), UnsafePointer(sz), sn) : (UnsafePointer(hs), UnsafePointer(hz), n)
                // The receiver at the exact distance of its cell centre (the samples lie on the ray).
                let sR = cellSize * Double(dx * dx + dy * dy).squareRoot()
                let t = tangent(ps, pz, cnt, sR, zr)
                let los = t == 0
                // A cell nobody wants keeps "not computed" values; its flags (below) are what the corner search reads.
                if out.wanted.map({ $0[wi] != 0 }) ?? true {
                    let dz = s.zTx - zr
                    let d3 = (sR * sR + dz * dz).squareRoot()
                    var l = s.directModelLoss(los: los, d2: sR, d3: d3) {
                        TautStringDiffraction.lossDB(ps, pz, t: t, rS: sR, rZ: zr, lambda: s.lambda)
                    }
                    let elev = los ? elevationDegrees(zr - s.zTx, sR) : elevationDegrees(pz[1] - s.zTx, ps[1])
                    if b >= 0 {
                        let arrival = los ? elevationDegrees(dz, sR) : elevationDegrees(pz[t] - zr, sR - ps[t])
                        l += s.buildingEntryLoss(elevationDeg: arrival)
                    }
                    let g = s.pattern.gainDBi(azimuthOffDeg: az, elevationDeg: elev,
                                              downtiltDeg: s.downtilt) - s.maxGain
                    out.loss[wi] = Float(l)
                    out.power[wi] = Float(s.eirp + g - l)
                    out.type[wi] = los ? PathType.lineOfSight.rawValue : PathType.overRooftops.rawValue
                    if out.keepDistance { out.distance[wi] = Float(d3) }
                }
                out.flags[wi] = CellFlag.computed | (los ? CellFlag.directLOS : 0) | (vis ? CellFlag.visible2D : 0)
            }
            if run.add(b) {
                for k in 0..<n { ss[k] = hs[k]; sz[k] = hz[k] }
                sn = n
            }
            // Upper hull (monotone chain): drop vertices on or below the segment to the new sample.
            let z = Double(cell.surface)
            while n >= 2 && cross(hs[n - 2], hz[n - 2], hs[n - 1], hz[n - 1], sDist, z) >= 0 { n -= 1 }
            hs[n] = sDist; hz[n] = z; n += 1
        }
    }

    /// (b − a) × (c − a) in the (distance, height) plane; < 0 when b is above the line a→c.
    @inline(__always)
    static func cross(_ aS: Double, _ aZ: Double, _ bS: Double, _ bZ: Double, _ cS: Double, _ cZ: Double) -> Double {
        (bS - aS) * (cZ - aZ) - (bZ - aZ) * (cS - aS)
    }

    /// Index of the last taut-string vertex before the receiver (0 = line of sight): the largest t with
    /// hull[t] strictly above the line hull[t−1] → receiver. Binary search, O(log n): the predicate holds on
    /// a prefix of a convex chain seen from a point beyond its end.
    @inline(__always)
    static func tangent(_ hs: UnsafePointer<Double>, _ hz: UnsafePointer<Double>, _ n: Int, _ rS: Double, _ rZ: Double) -> Int {
        var lo = 0, hi = n - 1
        while lo < hi {
            let mid = (lo + hi + 1) >> 1
            if cross(hs[mid - 1], hz[mid - 1], hs[mid], hz[mid], rS, rZ) < 0 { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
}

/// A raw pointer that may cross into concurrent workers (each uses a disjoint slice).
struct SharedPointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ p: UnsafeMutablePointer<T>) { pointer = p }
}
