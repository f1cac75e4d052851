import Foundation
import LitfassRadio
import Synchronization

/// A virtual source at a building corner: where a horizontal path turns.
struct CornerSource: Sendable {
    var column: Int
    var row: Int
    /// Horizontal length of the path from the transmitter to here [m].
    var length: Double
    /// Turn losses accumulated so far [dB].
    var turnLoss: Double
    /// Direction of the incoming leg in (column, row) units.
    var inX: Double
    var inY: Double
    /// Antenna gain relative to the maximum towards the first leg [dB].
    var gainDelta: Double
    /// Deterministic id (tie-break): level-1 sources first, by cell, then each later level's by cell.
    var id: Int32
}

/// The corner-path (street-canyon) search in the horizontal plane.
///
/// Nodes are outdoor cells diagonal to a convex building corner (see `isNode`). Level-1 sources are the
/// nodes the transmitter sees at street level; from each, a radial sweep (same ray set and owner rule as
/// the vertical sweep, radius min(corner search radius, remaining range)) finds the cells it sees, with
/// the loss FSPL(3-D length of the whole path) + Σ turn losses (`CornerLossModel`) (+ P.2109 indoors).
/// Nodes a level-L source sees that the transmitter does not see become level-(L + 1) sources with their best state
/// when it beats every earlier level's, up to `maxCornerTurns` levels: label-correcting by turns (`searchLevels`). Only states
/// within the power budget (`Transmitter.pathLossBudgetDB`) make sources or reach a node, so the levels also end
/// where the budget does.
/// Candidates are merged into the window under a lock with a lexicographic rule (higher received power,
/// then lower source id), which does not depend on the order of the merges: the result is deterministic.
enum CornerSearch {
    /// How much a later level must raise a node's key [dB] to make it a source again: more than rounding, so that the
    /// same path summed through another node on a straight line (a key 1e-14 dB higher) costs no extra sweep.
    static let improvementMarginDB = 1e-9

    /// An outdoor cell is a corner node when a diagonal neighbour is a building cell, the two cells
    /// between them are outdoor (a convex corner), and at most 7 of the 25 cells of its 5×5 neighbourhood
    /// are building cells (rejects the staircase of a rasterised oblique facade).
    static func isNode(_ sv: SceneView, column c: Int, row r: Int) -> Bool {
        @inline(__always) func building(_ cc: Int, _ rr: Int) -> Bool {
            cc >= 0 && cc < sv.columns && rr >= 0 && rr < sv.rows && sv.index[rr * sv.columns + cc] >= 0
        }
        guard !building(c, r) else { return false }
        var convex = false
        var dy = -1
        while dy <= 1 && !convex {
            var dx = -1
            while dx <= 1 && !convex {
                convex = building(c + dx, r + dy) && !building(c + dx, r) && !building(c, r + dy)
                dx += 2
            }
            dy += 2
        }
        guard convex else { return false }
        var count = 0
        for rr in (r - 2)...(r + 2) { for cc in (c - 2)...(c + 2) where building(cc, rr) { count += 1 } }
        return count <= 7
    }

    /// The corner nodes of the window (ascending window index): cells flagged `CellFlag.computed` in `flags` (window
    /// indexed) passing `isNode`, keeping one node per cluster — a candidate is dropped when a node was already kept at
    /// one of its four neighbours that come earlier in row-major order (left, up-left, up, up-right: the same corner seen
    /// from neighbouring cells). The `isNode` tests run in parallel over bands of rows, each listing its candidates (a cell
    /// away from the scene's edge without a building on a diagonal, most cells, is dismissed before `isNode`); the (cheap)
    /// keeping pass walks the lists in row-major order.
    static func detectNodes(_ sv: SceneView, _ s: RunSetup, flags: UnsafePointer<UInt8>) -> [Int] {
        let chunks = max(1, min(s.rows, s.threads * 8))
        let lists = ChunkLists(count: chunks)
        let flagsShared = SharedPointer(UnsafeMutablePointer(mutating: flags))
        parallelChunks(chunks, threads: s.threads) { _, chunk in
            var list: [Int] = []
            for y in (s.rows * chunk / chunks)..<(s.rows * (chunk + 1) / chunks) {
                let r = s.r0 + y
                let interiorRow = r >= 1 && r + 1 < sv.rows
                for x in 0..<s.columns {
                    let wi = y * s.columns + x
                    guard flagsShared.pointer[wi] & CellFlag.computed != 0 else { continue }
                    let c = s.c0 + x
                    if interiorRow && c >= 1 && c + 1 < sv.columns {
                        let up = (r - 1) * sv.columns + c, down = (r + 1) * sv.columns + c
                        guard sv.index[up - 1] >= 0 || sv.index[up + 1] >= 0 || sv.index[down - 1] >= 0 || sv.index[down + 1] >= 0 else {
                            continue
                        }
                    }
                    if isNode(sv, column: c, row: r) { list.append(wi) }
                }
            }
            lists.set(chunk, list)
        }
        var nodes: [Int] = []
        var above = 0       // the first kept node that may lie next to the current candidate's row above
        for list in lists.values {
            for wi in list {
                let x = wi % s.columns
                var near = x > 0 && nodes.last == wi - 1
                if !near && wi >= s.columns {
                    let up = wi - s.columns
                    while above < nodes.count && nodes[above] < up - 1 { above += 1 }
                    var k = above
                    while !near && k < nodes.count && nodes[k] <= up + 1 {
                        let v = nodes[k]
                        near = v == up || (v == up - 1 && x > 0) || (v == up + 1 && x + 1 < s.columns)
                        k += 1
                    }
                }
                if !near { nodes.append(wi) }
            }
        }
        return nodes
    }

    /// - Returns: the wall time of each level that was swept [s] (for `CoverageWindow.phaseSeconds`).
    @discardableResult
    static func run(_ sv: SceneView, _ s: RunSetup, _ out: OutputView) -> [Double] {
        // 0. Building bits for the whole window (also outside the range circle, where rays still pass), and per
        //    NLOS cell the longest path a corner candidate may have and still beat the direct path:
        //    P_corner = EIRP + g − FSPL(d) − T − BEL > P_direct with BEL ≥ BEL(0°) and FSPL = 20 log10(d · 4πf/c)
        //    (P.525) gives d < 10^((EIRP − P_direct − BEL(0°))/20) / (4πf/c) · 10^((g − T)/20). Candidates beyond
        //    it cannot change the result and skip the logarithm; the direct power is fixed during this phase.
        let n = s.columns * s.rows
        let reach = ReachBounds(count: n, threads: s.threads)
        defer { reach.deallocate() }
        let shared = SharedPointer(out.flags)
        let k = 4 * Double.pi * s.frequency / 299_792_458.0
        let bel0 = s.buildingEntryLoss(elevationDeg: 0)
        let rowChunks = min(s.rows, s.threads * 4)
        parallelChunks(rowChunks, threads: s.threads) { _, chunk in
            for y in (s.rows * chunk / rowChunks)..<(s.rows * (chunk + 1) / rowChunks) {
                let g = (s.r0 + y) * sv.columns + s.c0
                for x in 0..<s.columns {
                    let wi = y * s.columns + x
                    let indoor = sv.index[g + x] >= 0
                    if indoor { shared.pointer[wi] |= CellFlag.building }
                    let f = shared.pointer[wi]
                    // A cell nobody wants (`OutputView.wanted`) gets reach 0: no candidate there, rays pass it by.
                    if f & CellFlag.computed != 0 && f & CellFlag.directLOS == 0 && (out.wanted.map { $0[wi] != 0 } ?? true) {
                        let margin = s.eirp - Double(out.power[wi]) - (indoor ? bel0 : 0)
                        reach[wi] = reachMeters(excessDB: margin, k: k)
                    } else {
                        reach[wi] = 0
                    }
                }
            }
        }
        // 1. Nodes (ascending window index) and level-1 sources.
        let nodes = detectNodes(sv, s, flags: out.flags)
        var level1: [CornerSource] = []
        for wi in nodes {
            out.flags[wi] |= CellFlag.node
            let col = s.c0 + wi % s.columns, row = s.r0 + wi / s.columns
            if out.flags[wi] & CellFlag.visible2D != 0 && !(col == s.txCol && row == s.txRow) {
                let q = level1Source(sv, s, column: col, row: row, id: Int32(level1.count))
                if s.withinBudget(key: level1Key(sv, s, q)) { level1.append(q) }
            }
        }
        guard !level1.isEmpty else { return [] }
        // 2. Chebyshev distance to the nearest cell a sweep must look at (`skipDistances`).
        let skip = skipDistances(s, flags: out.flags, wanted: out.wanted)
        defer { skip.deallocate() }
        let skipShared = SharedPointer(skip)
        // Best corner candidate per cell; loss and length are only read where the power was set.
        var cPower = [Float](unsafeUninitializedCapacity: n) { _, count in count = n }
        var cLoss = [Float](unsafeUninitializedCapacity: n) { _, count in count = n }
        var cDist = [Float](repeating: .infinity, count: out.keepDistance ? n : 1)
        var cSource = [Int32](unsafeUninitializedCapacity: n) { _, count in count = n }
        cPower.withUnsafeMutableBufferPointer { cp in
            cSource.withUnsafeMutableBufferPointer { cs in
                let p = SharedPointer(cp.baseAddress!), q = SharedPointer(cs.baseAddress!)
                parallelChunks(rowChunks, threads: s.threads) { _, chunk in
                    for wi in (n * chunk / rowChunks)..<(n * (chunk + 1) / rowChunks) {
                        p.pointer[wi] = -.infinity; q.pointer[wi] = .max
                    }
                }
            }
        }
        var levelSeconds: [Double] = []
        cPower.withUnsafeMutableBufferPointer { cp in
        cLoss.withUnsafeMutableBufferPointer { cl in
        cDist.withUnsafeMutableBufferPointer { cd in
        cSource.withUnsafeMutableBufferPointer { cs in
            let merge = MergeTarget(power: cp.baseAddress!, loss: cl.baseAddress!, dist: cd.baseAddress!,
                                    source: cs.baseAddress!, reach: reach, keepDistance: out.keepDistance)
            _ = searchLevels(sv, s, out, nodes: nodes, level1: level1, reach: reach,
                             skip: UnsafePointer(skipShared.pointer), merge: merge, levels: s.cornerTurns,
                             levelDone: { levelSeconds.append($0) }) { _ in
                // The next level's candidates must beat the best so far (direct or an earlier corner path:
                // on equal power the earlier, lower source id wins), so tighten the reach bound to it.
                parallelChunks(rowChunks, threads: s.threads) { _, chunk in
                    for wi in (n * chunk / rowChunks)..<(n * (chunk + 1) / rowChunks) where reach[wi] > 0 {
                        let best = max(Double(out.power[wi]), Double(merge.power[wi]))
                        let indoor = out.flags[wi] & CellFlag.building != 0
                        reach[wi] = reachMeters(excessDB: s.eirp - best - (indoor ? bel0 : 0), k: k)
                    }
                }
            }
            // Final choice per cell: the corner path replaces the direct one when it is stronger.
            parallelChunks(rowChunks, threads: s.threads) { _, chunk in
                for wi in (n * chunk / rowChunks)..<(n * (chunk + 1) / rowChunks) where merge.power[wi] > out.power[wi] {
                    out.power[wi] = merge.power[wi]
                    out.loss[wi] = merge.loss[wi]
                    if out.keepDistance { out.distance[wi] = merge.dist[wi] }
                    out.type[wi] = PathType.aroundCorners.rawValue
                }
            }
        }}}}
        return levelSeconds
    }

    /// The sources of every level, found level by level (label-correcting by turns), and (through `merge`) the best
    /// candidate per cell.
    ///
    /// Level 1 sweeps from `level1` (the caller keeps only sources within the power budget). A node that a level-L
    /// sweep sees with a state within the budget (`RunSetup.withinBudget`) and that the transmitter does not see gets
    /// its best state over the level-L sources that see it (highest key `eirp + gain − (FSPL + turn losses)`, then the
    /// lower source id); when that key beats the best key of every earlier level at the node by more than
    /// `improvementMarginDB`, the state
    /// replaces the node's and the node becomes a level-(L + 1) source with it. This is a Bellman–Ford search bounded by
    /// the number of turns, with the key as the label: after level L every node holds the best key over the states of at
    /// most L turns that the search propagated (a state is propagated by its key alone; a weaker state with a better
    /// direction for the next turn is not kept). Each level runs after the previous one, its sweeps in parallel, merged
    /// under a lock by a rule that does not depend on the order (higher power / key, then lower source id): results are
    /// bit-identical on any thread count. Source ids: level 1 in node order, then each level's sources in node order
    /// after the previous level's (a node can be a source at several levels).
    ///
    /// - Parameters:
    ///   - levels: the last level swept (`s.cornerTurns` for a run; fewer to find the sources only: the sources the
    ///     last swept level finds are returned too, when `s.cornerTurns` is higher).
    ///   - levelDone: called after each level's sweeps with their wall time [s].
    ///   - betweenLevels: called with L after level L when a level L + 1 follows (to tighten `reach`).
    /// - Returns: per level (index 0 = level 1) its sources.
    static func searchLevels(_ sv: SceneView, _ s: RunSetup, _ out: OutputView, nodes: [Int], level1: [CornerSource],
                             reach: ReachBounds, skip: UnsafePointer<UInt8>, merge: MergeTarget, levels: Int,
                             levelDone: (Double) -> Void = { _ in }, betweenLevels: (Int) -> Void) -> [[CornerSource]] {
        guard levels >= 1, !level1.isEmpty else { return [level1] }
        let count = max(1, nodes.count)
        let nodeBest = UnsafeMutablePointer<CornerSource>.allocate(capacity: count)
        let nodeKey = UnsafeMutablePointer<Double>.allocate(capacity: count)
        /// Per node: the best key of the levels before the current one (−∞: none yet).
        let nodePrevious = UnsafeMutablePointer<Double>.allocate(capacity: count)
        /// Per node: 0 no state yet, else the last level that improved it.
        let nodeLevel = UnsafeMutablePointer<UInt8>.allocate(capacity: count)
        nodeKey.initialize(repeating: -.infinity, count: count)
        nodePrevious.initialize(repeating: -.infinity, count: count)
        nodeLevel.initialize(repeating: 0, count: count)
        defer { nodeBest.deallocate(); nodeKey.deallocate(); nodePrevious.deallocate(); nodeLevel.deallocate() }
        let nodeMerge = NodeMergeTarget(key: nodeKey, previous: nodePrevious, best: nodeBest, level: nodeLevel)
        let lock = NSLock()
        let skipShared = SharedPointer(UnsafeMutablePointer(mutating: skip))
        var all: [[CornerSource]] = [level1]
        var sources = level1
        var limits = reachMaxima(level1, level: 1, reach: reach, s)
        var next = Int32(level1.count)
        for level in 1...levels {
            let started = DispatchTime.now().uptimeNanoseconds
            let list = sources, reachMax = limits
            let order = strongestFirst(list)
            let chunks = min(list.count, s.threads * 32)
            parallelChunks(chunks, threads: s.threads) { _, chunk in
                var cells = Candidates()
                var found = NodeCandidates()
                let lo = list.count * chunk / chunks, hi = list.count * (chunk + 1) / chunks
                for o in lo..<hi {
                    let k = order[o]
                    cells.removeAll(); found.removeAll()
                    sweep(from: list[k], level: level, reachMax: reachMax[k], sv, s, out, reach,
                          UnsafePointer(skipShared.pointer), &cells, &found)
                    let ids = found.cells.map { wi in nodes.withUnsafeBufferPointer { binarySearch($0, wi) } }
                    lock.lock()
                    merge.apply(cells, sourceId: list[k].id)
                    nodeMerge.apply(found, ids, sourceId: list[k].id, level: level)
                    lock.unlock()
                }
            }
            levelDone(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
            guard level < s.cornerTurns else { break }
            // The nodes this level reached first or improved are the next level's sources, with their new best state.
            sources = []
            for i in 0..<nodes.count where Int(nodeLevel[i]) == level {
                var src = nodeBest[i]
                src.id = next; next += 1
                sources.append(src)
                nodePrevious[i] = nodeKey[i]
            }
            if sources.isEmpty { break }
            all.append(sources)
            guard level < levels else { break }
            betweenLevels(level)
            limits = reachMaxima(sources, level: level + 1, reach: reach, s)
        }
        return all
    }

    /// Per window cell, a lower bound (capped at 255) of the Chebyshev distance to the nearest cell a sweep must look at —
    /// a building cell (it blocks or starts an indoor run), a node, or a computed cell without direct line of sight (a
    /// candidate; cells nobody wants are none). A ray standing on an outdoor cell at distance D ≥ 2 skips the next D − 1
    /// steps: a step moves one cell in Chebyshev distance, so they can neither block nor produce anything. The caller
    /// deallocates the result.
    ///
    /// Two chamfer passes per band of rows, the bands in parallel; each band treats the rows just outside it as if
    /// they held such a cell, so a distance is never overestimated (near a band's edge it may be smaller than the
    /// exact one, which costs a few steps and changes no result).
    static func skipDistances(_ s: RunSetup, flags: UnsafePointer<UInt8>, wanted: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<UInt8> {
        let skip = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, s.columns * s.rows))
        let shared = SharedPointer(skip)
        let flagsShared = SharedPointer(UnsafeMutablePointer(mutating: flags))
        let wantedShared = wanted.map { SharedPointer(UnsafeMutablePointer(mutating: $0)) }
        let interesting = CellFlag.building | CellFlag.node
        let bands = max(1, min(s.rows, s.threads))      // one band per thread: few edges
        parallelChunks(bands, threads: s.threads) { _, band in
            let skip = shared.pointer, flags = flagsShared.pointer
            let y0 = s.rows * band / bands, y1 = s.rows * (band + 1) / bands
            for y in y0..<y1 {
                for x in 0..<s.columns {
                    let wi = y * s.columns + x
                    let f = flags[wi]
                    if f & interesting != 0
                        || (f & (CellFlag.computed | CellFlag.directLOS) == CellFlag.computed && (wantedShared.map { $0.pointer[wi] != 0 } ?? true)) {
                        skip[wi] = 0; continue
                    }
                    var d = 255
                    if x > 0 { d = min(d, Int(skip[wi - 1]) + 1) }
                    if y > y0 {
                        let up = wi - s.columns
                        d = min(d, Int(skip[up]) + 1)
                        if x > 0 { d = min(d, Int(skip[up - 1]) + 1) }
                        if x + 1 < s.columns { d = min(d, Int(skip[up + 1]) + 1) }
                    } else if y > 0 {
                        d = 1       // the row above belongs to another band: assume the worst
                    }
                    skip[wi] = UInt8(d)
                }
            }
            for y in stride(from: y1 - 1, through: y0, by: -1) {
                for x in stride(from: s.columns - 1, through: 0, by: -1) {
                    let wi = y * s.columns + x
                    var d = Int(skip[wi])
                    guard d > 1 else { continue }
                    if x + 1 < s.columns { d = min(d, Int(skip[wi + 1]) + 1) }
                    if y + 1 < y1 {
                        let down = wi + s.columns
                        d = min(d, Int(skip[down]) + 1)
                        if x + 1 < s.columns { d = min(d, Int(skip[down + 1]) + 1) }
                        if x > 0 { d = min(d, Int(skip[down - 1]) + 1) }
                    } else if y + 1 < s.rows {
                        d = 1       // the row below belongs to another band
                    }
                    skip[wi] = UInt8(d)
                }
            }
        }
        return skip
    }

    /// The level-1 source at a node the transmitter sees at street level: the leg from the transmitter, the gain
    /// towards it (elevation to the receiver height at the node).
    @inline(__always) static func level1Source(_ sv: SceneView, _ s: RunSetup, column col: Int, row: Int, id: Int32) -> CornerSource {
        let dx = Double(col - s.txCol), dy = Double(row - s.txRow)
        let l = sv.cellSize * (dx * dx + dy * dy).squareRoot()
        let zq = Double(sv.ground[row * sv.columns + col]) + s.hRx
        let gd = s.gainDelta(dirColumn: dx, dirRow: dy, elevationDeg: elevationDegrees(zq - s.zTx, l))
        return CornerSource(column: col, row: row, length: l, turnLoss: 0, inX: dx, inY: dy, gainDelta: gd, id: id)
    }

    /// The key `eirp + gain − FSPL` [dBm] of a level-1 source (free space over the 3-D length to the receiver height at
    /// its node, ITU-R P.525), for the power-budget test (`RunSetup.withinBudget`).
    @inline(__always) static func level1Key(_ sv: SceneView, _ s: RunSetup, _ q: CornerSource) -> Double {
        let dz = s.zTx - (Double(sv.ground[q.row * sv.columns + q.column]) + s.hRx)
        let d3 = (q.length * q.length + dz * dz).squareRoot()
        return s.eirp + q.gainDelta - FreeSpace.pathLossDB(distanceMeters: max(d3, 1), frequencyHz: s.frequency)
    }

    /// The reach [m] of a cell whose best path arrives `excessDB` below the EIRP (EIRP − P_best − BEL(0°) indoors):
    /// 10^(excess/20) / k with k = 4πf/c, the length at which free space (ITU-R P.525) alone loses as much.
    @inline(__always) static func reachMeters(excessDB: Double, k: Double) -> Float {
        Float(exp2(excessDB * (log2(10.0) / 20)) / k)       // 10^(x/20) = 2^(x · log2(10)/20)
    }

    /// The reach [m] an outdoor corner candidate leaves at its cell when it becomes the best there: the reach of its own
    /// power P = EIRP + g − T − turn − FSPL(max(d3, 1 m)), i.e. `reachMeters(EIRP − P)` = max(d3, 1) / 10^((g − T − turn)/20).
    /// `rayFactor` is that factor × (1 + 1e-4) (the sweep's), so multiplying by (1 + 1e-4)² takes the sweep's margin out
    /// and leaves one of 1e-4 (0.0009 dB) above the exact reach, against the Float storage.
    @inline(__always) static func reachLeft(distance3DMeters d3: Double, rayFactor: Double) -> Float {
        Float(max(d3, 1) / rayFactor * ((1 + 1e-4) * (1 + 1e-4)))
    }

    /// Search radius of a level's sources [cells]: the full corner search radius after the first turn,
    /// half of it after the second and every later turn (such a path has already lost two turn losses).
    @inline(__always) static func radiusCells(level: Int, _ s: RunSetup) -> Int {
        level == 1 ? s.cornerRadiusCells : max(1, s.cornerRadiusCells / 2)
    }

    /// Per source, the largest reach [m] of the 16 × 16-cell tiles its square touches: a ray of the source cannot
    /// produce a useful candidate beyond total length reachMax · 10^((g − T − turn)/20) (`sweep`).
    static func reachMaxima(_ sources: [CornerSource], level: Int, reach: ReachBounds, _ s: RunSetup) -> [Double] {
        let tile = 16
        let tx = (s.columns + tile - 1) / tile, ty = (s.rows + tile - 1) / tile
        var tileMax = [Float](repeating: 0, count: tx * ty)
        tileMax.withUnsafeMutableBufferPointer { buffer in
            let shared = SharedPointer(buffer.baseAddress!)
            // Rows of tiles in parallel: each writes its own tiles.
            parallelChunks(ty, threads: s.threads) { _, tileRow in
                for y in (tileRow * tile)..<min(s.rows, (tileRow + 1) * tile) {
                    for x in 0..<s.columns {
                        let t = tileRow * tx + x / tile
                        shared.pointer[t] = max(shared.pointer[t], reach[y * s.columns + x])
                    }
                }
            }
        }
        return sources.map { q in
            let rq = radiusCells(level: level, s)
            let x0 = max(0, q.column - s.c0 - rq) / tile, x1 = min(s.columns - 1, q.column - s.c0 + rq) / tile
            let y0 = max(0, q.row - s.r0 - rq) / tile, y1 = min(s.rows - 1, q.row - s.r0 + rq) / tile
            var m: Float = 0
            for ty0 in y0...y1 { for tx0 in x0...x1 { m = max(m, tileMax[ty0 * tx + tx0]) } }
            return Double(m)
        }
    }

    /// The order in which a level sweeps its sources: strongest first by `gain − turn losses − 20 log10(length)`, ties by
    /// position. The order changes no result (the merges keep the best key, then the lower source id), only how soon the
    /// reach bounds fall, and so how many candidates the weaker sources still compute.
    static func strongestFirst(_ list: [CornerSource]) -> [Int] {
        let strength = list.map { $0.gainDelta - $0.turnLoss - 20 * log10(max($0.length, 1)) }
        return list.indices.sorted { strength[$0] != strength[$1] ? strength[$0] > strength[$1] : $0 < $1 }
    }

    static func binarySearch(_ a: UnsafeBufferPointer<Int>, _ x: Int) -> Int {
        var lo = 0, hi = a.count - 1
        while lo <= hi {
            let mid = (lo + hi) >> 1
            if a[mid] == x { return mid }
            if a[mid] < x { lo = mid + 1 } else { hi = mid - 1 }
        }
        return -1
    }

    /// One source's sweep: collects the cells it reaches (and nodes for the next level).
    ///
    /// A ray stops early where nothing further along it can matter. A cell at step i is at least i cells away, so its
    /// candidate has total length ≥ q.length + i · cell, and is useful only below reach · 10^((g − T − turn)/20) with
    /// reach ≤ `reachMax`; a node there becomes a source only within the power budget, FSPL(total) ≤ budget + g − T −
    /// turn, i.e. total ≤ 10^((budget + g − T − turn)/20) / (4πf/c) (ITU-R P.525). Both bounds are exact (with
    /// margins for rounding): the limits change no result.
    static func sweep(from q: CornerSource, level: Int, reachMax: Double, _ sv: SceneView, _ s: RunSetup, _ out: OutputView,
                      _ reach: ReachBounds, _ skip: UnsafePointer<UInt8>,
                      _ cells: inout Candidates, _ found: inout NodeCandidates) {
        let remaining = s.range - q.length
        let rq = min(radiusCells(level: level, s), Int((remaining / sv.cellSize).rounded(.down)))
        guard rq >= 1 else { return }
        let table = SquareRayTable.shared(radius: rq)
        // Four copies of the loop: levels that look for the next level's sources or not (the last), sources whose square
        // lies inside the window (no bounds checks) or not.
        let qx = q.column - s.c0, qy = q.row - s.r0
        let inside = qx - rq >= 0 && qx + rq < s.columns && qy - rq >= 0 && qy + rq < s.rows
        switch (level < s.cornerTurns, inside) {
        case (true, true): sweep(NodeFindingLevel.self, Inside.self, from: q, reachMax: reachMax, table: table, sv, s, out, reach, skip, &cells, &found)
        case (true, false): sweep(NodeFindingLevel.self, NearEdge.self, from: q, reachMax: reachMax, table: table, sv, s, out, reach, skip, &cells, &found)
        case (false, true): sweep(LastLevel.self, Inside.self, from: q, reachMax: reachMax, table: table, sv, s, out, reach, skip, &cells, &found)
        case (false, false): sweep(LastLevel.self, NearEdge.self, from: q, reachMax: reachMax, table: table, sv, s, out, reach, skip, &cells, &found)
        }
    }

    @inline(__always)
    private static func sweep<Level: SweepLevel, Bounds: SweepBounds>(_: Level.Type, _: Bounds.Type, from q: CornerSource, reachMax: Double,
                                                                      table: SquareRayTable, _ sv: SceneView, _ s: RunSetup, _ out: OutputView,
                                                                      _ reach: ReachBounds, _ skip: UnsafePointer<UInt8>,
                                                                      _ cells: inout Candidates, _ found: inout NodeCandidates) {
        let rq = table.radius
        let qx = q.column - s.c0, qy = q.row - s.r0
        let qwi = qy * s.columns + qx, qgi = q.row * sv.columns + q.column
        let cellSize2 = sv.cellSize * sv.cellSize
        let flags = out.flags
        // Longest useful total length per unit of the ray factor: the reach bound, and at levels that look for nodes
        // the power budget's free-space length 10^(budget/20) / (4πf/c) (+∞ without a budget).
        let budgetLength = exp2(s.pathLossBudget * (log2(10.0) / 20)) / (4 * Double.pi * s.frequency / 299_792_458.0) * (1 + 1e-6)
        let longestPerFactor = Level.findsNodes ? max(reachMax, budgetLength) : reachMax
        table.steps.withUnsafeBufferPointer { steps in
        for ray in 0..<RayGeometry.rayCount(radius: rq) {
            let (px, py) = RayGeometry.ray(ray, radius: rq)
            let turn = s.cornerLoss.lossDB(turnAngleDegrees: fastTurnAngleDegrees(
                fromX: q.inX, fromY: q.inY, toX: Double(px), toY: Double(py)))
            // Per-ray factor of the reach bound (with a safety margin for the Float storage of `reach`).
            let rayFactor = exp2((q.gainDelta - q.turnLoss - turn) * (log2(10.0) / 20)) * (1 + 1e-4)
            var run = RunTracker()
            let longest = longestPerFactor * rayFactor - q.length
            let count = longest > 0 ? min(rq, Int(min(longest / sv.cellSize, Double(rq)).rounded(.down)) + 1) : 0
            let base = ray &* rq
            var i = 0
            while i < count {
                let step = steps[base &+ i]
                i &+= 1
                let dx = Int(step.dx), dy = Int(step.dy)
                if Bounds.checked {
                    let x = qx &+ dx, y = qy &+ dy
                    guard UInt(bitPattern: x) < UInt(bitPattern: s.columns), UInt(bitPattern: y) < UInt(bitPattern: s.rows) else { break }
                }
                let wi = qwi &+ dy &* s.columns &+ dx
                let f = flags[wi]
                let b = f & CellFlag.building != 0 ? sv.index[qgi &+ dy &* sv.columns &+ dx] : -1
                if step.owned {
                    // Cheap tests first: most cells a ray crosses are in sight of the transmitter (no candidate).
                    let nlos = f & (CellFlag.computed | CellFlag.directLOS) == CellFlag.computed
                    // A node the transmitter does not see (a later level may improve a node an earlier one reached).
                    let nextSource = Level.findsNodes
                        && f & (CellFlag.computed | CellFlag.node | CellFlag.visible2D) == (CellFlag.computed | CellFlag.node)
                    if (nlos || nextSource) && run.visible(target: b) {
                        // Pre-filter on the squared leg (with slack); the exact tests follow.
                        let limit = (nextSource ? s.range : min(s.range, Double(reach[wi]) * rayFactor)) - q.length
                        let leg2 = Double(step.distance2) * cellSize2
                        if limit > 0 && leg2 <= limit * limit * (1 + 1e-9) {
                            let leg = sv.cellSize * Double(step.distance2).squareRoot()
                            let total = q.length + leg
                            if total <= s.range {
                                let useful = nlos && total < Double(reach[wi]) * rayFactor
                                if useful || nextSource {
                                    let gi = qgi &+ dy &* sv.columns &+ dx
                                    let zr = Double(sv.ground[gi]) + s.hRx
                                    let dz = s.zTx - zr
                                    let d3 = (total * total + dz * dz).squareRoot()
                                    let base = FreeSpace.pathLossDB(distanceMeters: max(d3, 1), frequencyHz: s.frequency)
                                        + q.turnLoss + turn
                                    if useful {
                                        var l = base
                                        if b >= 0 { l += s.buildingEntryLoss(elevationDeg: elevationDegrees(abs(dz), total)) }
                                        // Outdoors, the reach this candidate leaves when it becomes the cell's best (`MergeTarget`).
                                        let bound = b >= 0 ? Float.infinity : reachLeft(distance3DMeters: d3, rayFactor: rayFactor)
                                        cells.append(wi, power: Float(s.eirp + q.gainDelta - l), loss: Float(l), dist: Float(d3), bound: bound)
                                    }
                                    let key = s.eirp + q.gainDelta - base
                                    if nextSource && s.withinBudget(key: key) {
                                        found.append(wi, key: key,
                                                     state: CornerSource(column: s.c0 + wi % s.columns, row: s.r0 + wi / s.columns, length: total,
                                                                         turnLoss: q.turnLoss + turn, inX: Double(px),
                                                                         inY: Double(py), gainDelta: q.gainDelta, id: -1))
                                    }
                                }
                            }
                        }
                    }
                }
                _ = run.add(b)
                if run.blocked { break }
                // The next d − 1 steps can neither block nor produce anything (`skipDistances`).
                i &+= max(0, Int(skip[wi]) &- 1)
            }
        }
        }
    }
}

/// Whether a level of the corner search looks for the next level's sources: `sweep` is compiled once for each kind,
/// so the last level's loop carries no node tests.
protocol SweepLevel { static var findsNodes: Bool { get } }
enum NodeFindingLevel: SweepLevel { static var findsNodes: Bool { true } }
enum LastLevel: SweepLevel { static var findsNodes: Bool { false } }

/// Whether a source's sweep must check that its steps stay in the window (its square reaches past an edge).
protocol SweepBounds { static var checked: Bool { get } }
enum Inside: SweepBounds { static var checked: Bool { false } }
enum NearEdge: SweepBounds { static var checked: Bool { true } }

/// Cells reached by one source.
struct Candidates {
    var cells: [Int] = []
    var power: [Float] = []
    var loss: [Float] = []
    var dist: [Float] = []
    /// The reach [m] the candidate leaves at its cell when it becomes the best there (+∞: indoors, none).
    var bound: [Float] = []
    mutating func removeAll() {
        cells.removeAll(keepingCapacity: true); power.removeAll(keepingCapacity: true)
        loss.removeAll(keepingCapacity: true); dist.removeAll(keepingCapacity: true); bound.removeAll(keepingCapacity: true)
    }
    @inline(__always) mutating func append(_ wi: Int, power p: Float, loss l: Float, dist d: Float, bound r: Float) {
        cells.append(wi); power.append(p); loss.append(l); dist.append(d); bound.append(r)
    }
}

/// Nodes reached by one source (for the next level).
struct NodeCandidates {
    var cells: [Int] = []
    var keys: [Double] = []
    var states: [CornerSource] = []
    mutating func removeAll() {
        cells.removeAll(keepingCapacity: true); keys.removeAll(keepingCapacity: true)
        states.removeAll(keepingCapacity: true)
    }
    mutating func append(_ wi: Int, key: Double, state: CornerSource) {
        cells.append(wi); keys.append(key); states.append(state)
    }
}

/// Per window cell, the reach bound of the corner search [m]: a candidate whose path is not shorter than reach ×
/// 10^((g − T − turn)/20) cannot beat the best path the cell has (0: no candidate wanted; `CornerSearch.run`, step 0).
/// Set before a level and between levels; during a level the merge lowers it where a corner candidate became the
/// best (`MergeTarget.apply`) while the sweeps of the level read it. Any value a sweep reads is a valid bound, so
/// which one it reads changes only how many candidates are computed, never a result; the cells are relaxed atomics, so
/// reading while another thread writes is well defined.
struct ReachBounds: @unchecked Sendable {
    private let cells: UnsafeMutablePointer<Atomic<UInt32>>
    private let count: Int

    /// `count` cells, all 0, initialised on `threads` threads.
    init(count: Int, threads: Int) {
        let total = max(1, count)
        self.count = total
        cells = .allocate(capacity: total)
        let bounds = self, chunks = max(1, min(threads * 4, total / 65_536))
        parallelChunks(chunks, threads: threads) { _, chunk in
            for i in (total * chunk / chunks)..<(total * (chunk + 1) / chunks) { (bounds.cells + i).initialize(to: Atomic(0)) }
        }
    }

    func deallocate() {
        cells.deinitialize(count: count)
        cells.deallocate()
    }

    subscript(wi: Int) -> Float {
        @inline(__always) get { Float(bitPattern: cells[wi].load(ordering: .relaxed)) }
        @inline(__always) nonmutating set { cells[wi].store(newValue.bitPattern, ordering: .relaxed) }
    }
}

/// One list per chunk of a parallel loop, each set by the chunk's worker.
final class ChunkLists: @unchecked Sendable {
    private var lists: [[Int]]
    private let lock = NSLock()
    init(count: Int) { lists = Array(repeating: [], count: count) }
    func set(_ chunk: Int, _ list: [Int]) { lock.lock(); lists[chunk] = list; lock.unlock() }
    var values: [[Int]] { lock.lock(); defer { lock.unlock() }; return lists }
}

/// The merge target (global best per cell); only touched under the lock, except `reach`, which the sweeps read.
struct MergeTarget: @unchecked Sendable {
    let power: UnsafeMutablePointer<Float>
    let loss: UnsafeMutablePointer<Float>
    let dist: UnsafeMutablePointer<Float>
    let source: UnsafeMutablePointer<Int32>
    let reach: ReachBounds
    let keepDistance: Bool

    /// Lexicographic best: higher power, then lower source id — independent of the merge order. A candidate that becomes
    /// a cell's best lowers the cell's reach to its own bound (`Candidates.bound`), so that the sources swept after it
    /// skip the logarithm for candidates that cannot beat it (a few per cent of the corner search; same results).
    func apply(_ c: Candidates, sourceId: Int32) {
        for k in 0..<c.cells.count {
            let wi = c.cells[k], p = c.power[k]
            if p > power[wi] || (p == power[wi] && sourceId < source[wi]) {
                power[wi] = p; loss[wi] = c.loss[k]; source[wi] = sourceId
                if keepDistance { dist[wi] = c.dist[k] }
                if c.bound[k] < reach[wi] { reach[wi] = c.bound[k] }
            }
        }
    }
}

/// The best state per node (label-correcting by turns); only touched under the lock.
struct NodeMergeTarget: @unchecked Sendable {
    let key: UnsafeMutablePointer<Double>
    /// The best key of the levels before the current one.
    let previous: UnsafeMutablePointer<Double>
    let best: UnsafeMutablePointer<CornerSource>
    /// 0: no state yet; else the last level that improved the node.
    let level: UnsafeMutablePointer<UInt8>

    /// A state replaces the node's when its key beats every earlier level's by more than
    /// `CornerSearch.improvementMarginDB` (otherwise the earlier level keeps the node) and, within the current level, by
    /// higher key, then lower source id — independent of the merge order.
    func apply(_ f: NodeCandidates, _ ids: [Int], sourceId: Int32, level current: Int) {
        for k in 0..<f.cells.count {
            let id = ids[k]
            guard id >= 0 else { continue }
            let kk = f.keys[k]
            guard kk > previous[id] + CornerSearch.improvementMarginDB else { continue }
            if Int(level[id]) != current || kk > key[id] || (kk == key[id] && sourceId < best[id].id) {
                var state = f.states[k]
                state.id = sourceId      // remembered for the tie-break, replaced by the next level's id later
                key[id] = kk; best[id] = state; level[id] = UInt8(current)
            }
        }
    }
}
