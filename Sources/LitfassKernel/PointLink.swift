import Foundation
import LitfassGeo
import LitfassRadio

/// The corner-node candidates of a whole scene (cells passing `CornerSearch.isNode`, which depends on the scene
/// only), per row as sorted columns. Built once per kernel, on the first point link.
/// Memory: 4 bytes per candidate plus 8 bytes per row.
final class NodeIndex: Sendable {
    let rowStart: [Int]
    let columns: [Int32]

    init(rowStart: [Int], columns: [Int32]) {
        self.rowStart = rowStart
        self.columns = columns
    }

    init(_ sv: SceneView, threads: Int) {
        let rows = sv.rows
        let chunks = min(rows, max(1, threads) * 8)
        let perChunk = UnsafeMutablePointer<[Int32]>.allocate(capacity: chunks)
        perChunk.initialize(repeating: [], count: chunks)
        defer { perChunk.deinitialize(count: chunks); perChunk.deallocate() }
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: rows)
        defer { counts.deallocate() }
        let shared = SharedPointer(perChunk), sharedCounts = SharedPointer(counts)
        parallelChunks(chunks, threads: max(1, threads)) { _, chunk in
            var list: [Int32] = []
            for r in (rows * chunk / chunks)..<(rows * (chunk + 1) / chunks) {
                var n = 0
                for c in 0..<sv.columns where sv.index[r * sv.columns + c] < 0 && CornerSearch.isNode(sv, column: c, row: r) {
                    list.append(Int32(c)); n += 1
                }
                sharedCounts.pointer[r] = n
            }
            shared.pointer[chunk] = list
        }
        var start = [Int](repeating: 0, count: rows + 1)
        for r in 0..<rows { start[r + 1] = start[r] + counts[r] }
        var all: [Int32] = []
        all.reserveCapacity(start[rows])
        for c in 0..<chunks { all.append(contentsOf: perChunk[c]) }
        rowStart = start
        columns = all
    }

    /// First position in row `row` with column ≥ `column`.
    @inline(__always) func lowerBound(row: Int, column: Int) -> Int {
        var lo = rowStart[row], hi = rowStart[row + 1]
        while lo < hi {
            let mid = (lo + hi) >> 1
            if Int(columns[mid]) < column { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    @inline(__always) func contains(column: Int, row: Int) -> Bool {
        let i = lowerBound(row: row, column: column)
        return i < rowStart[row + 1] && Int(columns[i]) == column
    }
}

/// What a kernel keeps between point links: the scene's node index (built once) and, per window geometry
/// (transmitter cell, window, range, corner radius), the street-level visibility of nodes from the transmitter
/// and the kept/dropped state of the node cluster rule. These depend on the geometry only (not on the antenna,
/// power, frequency or receiver height), are pure functions of it, and are filled lazily under a lock: a cached
/// value is the value that would be computed, so the cache never changes a result.
final class PointLinkCache: @unchecked Sendable {
    private let lock = NSLock()
    private var nodes: NodeIndex?
    private var geometries: [GeometryKey: GeometryMemo] = [:]
    /// At most this many window geometries are kept (then the cache starts over).
    static let maxGeometries = 1024

    func nodeIndex(_ sv: SceneView, threads: Int) -> NodeIndex {
        lock.lock()
        if let n = nodes { lock.unlock(); return n }
        lock.unlock()
        let built = NodeIndex(sv, threads: threads)
        lock.lock(); defer { lock.unlock() }
        if let n = nodes { return n }
        nodes = built
        return built
    }

    func memo(_ key: GeometryKey) -> GeometryMemo {
        lock.lock(); defer { lock.unlock() }
        if let m = geometries[key] { return m }
        if geometries.count >= Self.maxGeometries { geometries.removeAll() }
        let m = GeometryMemo()
        geometries[key] = m
        return m
    }
}

/// The geometry a point link's node bookkeeping depends on.
struct GeometryKey: Hashable {
    let txCol: Int, txRow: Int, c0: Int, r0: Int, columns: Int, rows: Int
    let rangeBits: UInt64
    let cornerRadiusCells: Int
}

/// Per-geometry memo (global cell index → value), guarded by its own lock.
final class GeometryMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var visible: [Int: Bool] = [:]
    private var kept: [Int: Bool] = [:]

    func visible(_ cell: Int, _ compute: () -> Bool) -> Bool {
        lock.lock()
        if let v = visible[cell] { lock.unlock(); return v }
        lock.unlock()
        let v = compute()
        lock.lock(); visible[cell] = v; lock.unlock()
        return v
    }

    func kept(_ cell: Int) -> Bool? {
        lock.lock(); defer { lock.unlock() }
        return kept[cell]
    }

    func setKept(_ cell: Int, _ v: Bool) {
        lock.lock(); kept[cell] = v; lock.unlock()
    }
}

/// The result of one point evaluation (what `compute` writes at that cell, plus the entry loss included).
struct PointValue {
    var power: Float
    var loss: Float
    var type: PathType
    var distance: Float
    /// P.2109 loss included in `loss` [dB] (indoor cells).
    var entryLoss: Double
}

/// One point of the window evaluated as `RayCastEngine.run` evaluates it, without computing the window:
///
/// * direct path: the target's owner ray of the radial sweep (same `RunSetup` ray set, same hull, snapshot at
///   building runs, same tangent / Deygout / gain / entry-loss code);
/// * corner paths: only the nodes within the corner search radius of the target (level 1) or half of it
///   (level 2), each tested with the sweep's own rules (node cluster rule, street-level visibility from the
///   transmitter on the owner ray, the target's owner ray in the node's square ray set, reach bound, the
///   merge's tie-break: higher power, then lower source id), pruned only by exact upper bounds of a
///   candidate's received power (free space over a lower bound of the length, a lower bound of the turn loss).
struct PointEvaluator {
    let sv: SceneView
    let s: RunSetup
    let nodes: NodeIndex
    let memo: GeometryMemo
    let rangeCells2: Double

    init(_ sv: SceneView, _ s: RunSetup, nodes: NodeIndex, memo: GeometryMemo) {
        self.sv = sv; self.s = s; self.nodes = nodes; self.memo = memo
        rangeCells2 = (s.range / sv.cellSize) * (s.range / sv.cellSize)
    }

    /// Whether `compute` computes the cell (inside the window and the range circle).
    @inline(__always) func computed(_ col: Int, _ row: Int) -> Bool {
        guard s.inWindow(column: col, row: row) else { return false }
        let dx = col - s.txCol, dy = row - s.txRow
        return Double(dx * dx + dy * dy) <= rangeCells2
    }

    /// The value `compute` gives at (col, row); nil when the cell is not computed.
    func evaluate(column col: Int, row: Int) -> PointValue? {
        guard computed(col, row) else { return nil }
        let gi = row * sv.columns + col
        let b = sv.index[gi]
        let zr = Double(sv.ground[gi]) + s.hRx
        if col == s.txCol && row == s.txRow {
            let d3 = max(1, abs(s.zTx - zr))
            var l = s.directModelLoss(los: true, d2: 0, d3: d3) { 0 }
            let el = zr >= s.zTx ? 90.0 : -90.0
            var bel = 0.0
            if b >= 0 { bel = s.buildingEntryLoss(elevationDeg: el); l += bel }
            let gd = s.gainDelta(dirColumn: 0, dirRow: -1, elevationDeg: el)
            return PointValue(power: Float(s.eirp + gd - l), loss: Float(l), type: .lineOfSight, distance: Float(d3), entryLoss: bel)
        }
        var direct = self.direct(col, row, b: b, zr: zr)
        guard s.cornerTurns > 0, direct.type == .overRooftops else { return direct }
        if let c = corner(col, row, b: b, zr: zr, directPower: direct.power), c.power > direct.power {
            direct = c
        }
        return direct
    }

    /// The direct path: the owner ray's profile up to the target, as `RayCastEngine.sweepRay` builds it.
    func direct(_ col: Int, _ row: Int, b target: Int32, zr: Double) -> PointValue {
        let dx = col - s.txCol, dy = row - s.txRow
        let k = max(abs(dx), abs(dy))
        let (px, py, R) = s.rays.owner(dx: dx, dy: dy)
        let cellSize = sv.cellSize
        let stepLen = RayGeometry.stepLength(px: px, py: py, radius: R, cellSize: cellSize)
        let az = atan2(Double(px), -Double(py)) * 180 / Double.pi - s.azimuth
        let capacity = k + 2
        let buf = UnsafeMutablePointer<Double>.allocate(capacity: 4 * capacity)
        defer { buf.deallocate() }
        let hs = buf, hz = buf + capacity, ss = buf + 2 * capacity, sz = buf + 3 * capacity
        hs[0] = 0; hz[0] = s.zTx
        var n = 1, sn = 1
        var run = RunTracker()
        var walker = RayWalker(px: px, py: py, radius: R)
        for i in 1..<k {
            let (ox, oy, _) = walker.advance()
            let gi = (s.txRow + oy) * sv.columns + s.txCol + ox
            let b = sv.index[gi]
            if run.add(b) {
                for j in 0..<n { ss[j] = hs[j]; sz[j] = hz[j] }
                sn = n
            }
            let z = Double(sv.ground[gi] + sv.height[gi])
            let sDist = Double(i) * stepLen
            while n >= 2 && RayCastEngine.cross(hs[n - 2], hz[n - 2], hs[n - 1], hz[n - 1], sDist, z) >= 0 { n -= 1 }
            hs[n] = sDist; hz[n] = z; n += 1
        }
        let own = run.inOwnRun(target: target)
        let (ps, pz, cnt) = own ? (UnsafePointer(ss), UnsafePointer(sz), sn) : (UnsafePointer(hs), UnsafePointer(hz), n)
        let sR = cellSize * Double(dx * dx + dy * dy).squareRoot()
        let t = RayCastEngine.tangent(ps, pz, cnt, sR, zr)
        let los = t == 0
        let dz = s.zTx - zr
        let d3 = (sR * sR + dz * dz).squareRoot()
        var l = s.directModelLoss(los: los, d2: sR, d3: d3) {
            TautStringDiffraction.lossDB(ps, pz, t: t, rS: sR, rZ: zr, lambda: s.lambda)
        }
        let elev = los ? elevationDegrees(zr - s.zTx, sR) : elevationDegrees(pz[1] - s.zTx, ps[1])
        var bel = 0.0
        if target >= 0 {
            let arrival = los ? elevationDegrees(dz, sR) : elevationDegrees(pz[t] - zr, sR - ps[t])
            bel = s.buildingEntryLoss(elevationDeg: arrival)
            l += bel
        }
        let g = s.pattern.gainDBi(azimuthOffDeg: az, elevationDeg: elev, downtiltDeg: s.downtilt) - s.maxGain
        return PointValue(power: Float(s.eirp + g - l), loss: Float(l), type: los ? .lineOfSight : .overRooftops,
                          distance: Float(d3), entryLoss: bel)
    }

    // MARK: Nodes

    /// `detectNodes`' cluster rule for one cell: a computed node candidate is kept unless a node was kept at
    /// its left, up-left, up or up-right window neighbour (evaluated recursively; clusters are small).
    func kept(_ col: Int, _ row: Int) -> Bool {
        guard computed(col, row), nodes.contains(column: col, row: row) else { return false }
        let gi = row * sv.columns + col
        if let v = memo.kept(gi) { return v }
        let x = col - s.c0, y = row - s.r0
        var near = x > 0 && kept(col - 1, row)
        if !near && y > 0 {
            near = kept(col, row - 1) || (x > 0 && kept(col - 1, row - 1)) || (x + 1 < s.columns && kept(col + 1, row - 1))
        }
        memo.setKept(gi, !near)
        return !near
    }

    /// Street-level visibility of an outdoor cell from the transmitter (no building cell on its owner ray
    /// before it), the sweep's `visible2D`.
    func visibleFromTransmitter(_ col: Int, _ row: Int) -> Bool {
        memo.visible(row * sv.columns + col) {
            let dx = col - s.txCol, dy = row - s.txRow
            let k = max(abs(dx), abs(dy))
            guard k > 1 else { return true }
            let (px, py, R) = s.rays.owner(dx: dx, dy: dy)
            var walker = RayWalker(px: px, py: py, radius: R)
            for _ in 1..<k {
                let (ox, oy, _) = walker.advance()
                if sv.index[(s.txRow + oy) * sv.columns + s.txCol + ox] >= 0 { return false }
            }
            return true
        }
    }

    /// The geometry of a corner leg from a source to (col, row) as the source's sweep sees it: the target's
    /// owner ray in the square ray set of radius `rq`, street-level visibility (`RunTracker`, the target's own
    /// building ignored). Returns the ray's perimeter offset, or nil when the sweep does not reach the target.
    func leg(fromColumn qc: Int, row qr: Int, radius rq: Int, to col: Int, _ row: Int, target b: Int32) -> (px: Int, py: Int)? {
        let dx = col - qc, dy = row - qr
        let k = max(abs(dx), abs(dy))
        guard rq >= 1, k >= 1, k <= rq else { return nil }
        let (px, py) = RayGeometry.owner(dx: dx, dy: dy, radius: rq)
        var run = RunTracker()
        var walker = RayWalker(px: px, py: py, radius: rq)
        for _ in 1..<k {
            let (ox, oy, _) = walker.advance()
            let c = qc + ox, r = qr + oy
            guard s.inWindow(column: c, row: r) else { return nil }
            let idx = sv.index[r * sv.columns + c]
            _ = run.add(idx >= 0 ? idx : -1)
            if run.blocked { return nil }
        }
        return run.visible(target: b) ? (px, py) : nil
    }

    /// Lower bound of the turn loss between the incoming direction (ax, ay) and the leg to (dx, dy) at
    /// Chebyshev distance k: the ray's direction differs from (dx, dy) by less than atan(1/k) (a half-cell
    /// rounding of the perimeter point at radius ≥ k, generously doubled).
    func turnLowerBound(_ ax: Double, _ ay: Double, _ dx: Int, _ dy: Int) -> Double {
        let k = Double(max(abs(dx), abs(dy)))
        let phi = CornerLossModel.turnAngleDegrees(fromX: ax, fromY: ay, toX: Double(dx), toY: Double(dy))
        let tol = atan(1 / k) * 180 / Double.pi + 1e-3
        let lo = max(0, phi - tol), hi = min(180, phi + tol)
        var m = min(s.cornerLoss.lossDB(turnAngleDegrees: lo), s.cornerLoss.lossDB(turnAngleDegrees: hi))
        if lo < 90 && hi > 90 { m = min(m, s.cornerLoss.lossDB(turnAngleDegrees: 90)) }
        return max(0, m)
    }

    /// The level-1 source at a node (as `CornerSearch.run` builds it).
    func level1Source(_ col: Int, _ row: Int) -> CornerSource {
        let dx = Double(col - s.txCol), dy = Double(row - s.txRow)
        let l = sv.cellSize * (dx * dx + dy * dy).squareRoot()
        let zq = Double(sv.ground[row * sv.columns + col]) + s.hRx
        let gd = s.gainDelta(dirColumn: dx, dirRow: dy, elevationDeg: elevationDegrees(zq - s.zTx, l))
        return CornerSource(column: col, row: row, length: l, turnLoss: 0, inX: dx, inY: dy, gainDelta: gd, id: -1)
    }

    /// Kept nodes (excluding the transmitter's cell) within Chebyshev distance `radius` of (col, row).
    func nodesAround(_ col: Int, _ row: Int, radius: Int, _ body: (Int, Int) -> Void) {
        let rLo = max(s.r0, row - radius), rHi = min(s.r0 + s.rows - 1, row + radius)
        let cLo = max(s.c0, col - radius), cHi = min(s.c0 + s.columns - 1, col + radius)
        guard rLo <= rHi, cLo <= cHi else { return }
        for r in rLo...rHi {
            var i = nodes.lowerBound(row: r, column: cLo)
            let end = nodes.rowStart[r + 1]
            while i < end {
                let c = Int(nodes.columns[i])
                if c > cHi { break }
                if !(c == s.txCol && r == s.txRow) { body(c, r) }
                i += 1
            }
        }
    }

    /// Free-space distance [m] at which `eirp + margin − FSPL(d) = power` (the reach bound's form).
    @inline(__always) func distanceFor(excess: Double) -> Double {
        exp2(excess * (log2(10.0) / 20)) / (4 * Double.pi * s.frequency / 299_792_458.0)
    }

    /// The best corner path to an NLOS target, by `CornerSearch`'s rules; nil when no source produces one.
    func corner(_ col: Int, _ row: Int, b: Int32, zr: Double, directPower: Float) -> PointValue? {
        let cellSize = sv.cellSize
        let wiT = s.windowIndex(column: col, row: row)
        let k4 = 4 * Double.pi * s.frequency / 299_792_458.0
        let bel0 = s.buildingEntryLoss(elevationDeg: 0)
        let log2of10over20 = log2(10.0) / 20
        let indoor = b >= 0
        let dzT = s.zTx - zr
        // Level-1 reach (CornerSearch.run step 0), from the direct power.
        let reach1 = Float(exp2((s.eirp - Double(directPower) - (indoor ? bel0 : 0)) * log2of10over20) / k4)
        // Best candidate: power, then lower source id — (level, window index of the source node) orders as the ids.
        var best: (power: Float, level: Int, wi: Int, loss: Float, dist: Float, bel: Double)?
        func better(_ p: Float, _ level: Int, _ wi: Int) -> Bool {
            guard let bst = best else { return true }
            return p > bst.power || (p == bst.power && (level, wi) < (bst.level, bst.wi))
        }
        /// Evaluates the candidate of source q (given its level and reach) at the target, if the sweep makes one.
        func candidate(_ q: CornerSource, level: Int, reach: Float) {
            let rq = min(CornerSearch.radiusCells(level: level, s), Int(((s.range - q.length) / cellSize).rounded(.down)))
            guard let (px, py) = leg(fromColumn: q.column, row: q.row, radius: rq, to: col, row, target: b) else { return }
            let dx = col - q.column, dy = row - q.row
            let turn = s.cornerLoss.lossDB(turnAngleDegrees: fastTurnAngleDegrees(
                fromX: q.inX, fromY: q.inY, toX: Double(px), toY: Double(py)))
            let rayFactor = exp2((q.gainDelta - q.turnLoss - turn) * (log2(10.0) / 20)) * (1 + 1e-4)
            let limit = min(s.range, Double(reach) * rayFactor) - q.length
            let leg2 = Double(dx &* dx &+ dy &* dy) * cellSize * cellSize
            guard limit > 0 && leg2 <= limit * limit * (1 + 1e-9) else { return }
            let leg = cellSize * Double(dx * dx + dy * dy).squareRoot()
            let total = q.length + leg
            guard total <= s.range, total < Double(reach) * rayFactor else { return }
            let d3 = (total * total + dzT * dzT).squareRoot()
            let base = FreeSpace.pathLossDB(distanceMeters: max(d3, 1), frequencyHz: s.frequency) + q.turnLoss + turn
            var l = base
            var bel = 0.0
            if indoor { bel = s.buildingEntryLoss(elevationDeg: elevationDegrees(abs(dzT), total)); l += bel }
            let p = Float(s.eirp + q.gainDelta - l)
            let wi = s.windowIndex(column: q.column, row: q.row)
            if better(p, level, wi) { best = (p, level, wi, Float(l), Float(d3), bel) }
        }
        /// Upper bound of a candidate's power can still matter against `floor` (a tie would too: margin).
        func mayMatter(upper: Double, floor: Float) -> Bool { upper + 1e-3 >= Double(floor) }

        // Level 1: nodes within the corner radius, in order of a lower bound of the path length.
        let radius1 = CornerSearch.radiusCells(level: 1, s)
        var list: [(total: Double, col: Int, row: Int)] = []
        nodesAround(col, row, radius: radius1) { c, r in
            let ax = Double(c - s.txCol), ay = Double(r - s.txRow)
            let bx = Double(col - c), by = Double(row - r)
            let total = cellSize * ((ax * ax + ay * ay).squareRoot() + (bx * bx + by * by).squareRoot())
            // The reach bound with gain ≤ 0 and turn ≥ 0 (rayFactor ≤ 1 + 1e-4).
            if total < Double(reach1) * (1 + 2e-4) && total <= s.range { list.append((total, c, r)) }
        }
        list.sort { ($0.total, $0.row, $0.col) < ($1.total, $1.row, $1.col) }
        for e in list {
            // Upper bound: gain ≤ 0 (pattern maximum), free space over the horizontal length, turn lower bound.
            let ax = Double(e.col - s.txCol), ay = Double(e.row - s.txRow)
            let floorPower = max(directPower, best?.power ?? -.infinity)
            if Double(floorPower) > s.eirp - 20 * log10(max(e.total, 1) * k4) + 1e-3 { break }
            let turnLB = turnLowerBound(ax, ay, col - e.col, row - e.row)
            guard mayMatter(upper: s.eirp - 20 * log10(max(e.total, 1) * k4) - turnLB - (indoor ? bel0 : 0) , floor: floorPower)
            else { continue }
            guard kept(e.col, e.row), visibleFromTransmitter(e.col, e.row) else { continue }
            candidate(level1Source(e.col, e.row), level: 1, reach: reach1)
        }
        guard s.cornerTurns >= 2 else {
            return best.map { PointValue(power: $0.power, loss: $0.loss, type: .aroundCorners, distance: $0.dist, entryLoss: $0.bel) }
        }
        // Level 2: the reach bound from the best so far (direct or level 1), as CornerSearch tightens it.
        let bestSoFar = max(Double(directPower), Double(best?.power ?? -.infinity))
        let reach2 = Float(exp2((s.eirp - bestSoFar - (indoor ? bel0 : 0)) * log2of10over20) / k4)
        let radius2 = CornerSearch.radiusCells(level: 2, s)
        var list2: [(total: Double, col: Int, row: Int)] = []
        nodesAround(col, row, radius: radius2) { c, r in
            let ax = Double(c - s.txCol), ay = Double(r - s.txRow)
            let bx = Double(col - c), by = Double(row - r)
            let total = cellSize * ((ax * ax + ay * ay).squareRoot() + (bx * bx + by * by).squareRoot())
            if total < Double(reach2) * (1 + 2e-4) && total <= s.range { list2.append((total, c, r)) }
        }
        list2.sort { ($0.total, $0.row, $0.col) < ($1.total, $1.row, $1.col) }
        for e in list2 {
            let floorPower = max(directPower, best?.power ?? -.infinity)
            if Double(floorPower) > s.eirp - 20 * log10(max(e.total, 1) * k4) - (indoor ? bel0 : 0) + 1e-3 { break }
            guard kept(e.col, e.row), !visibleFromTransmitter(e.col, e.row) else { continue }
            guard let state = level2State(e.col, e.row) else { continue }
            candidate(state, level: 2, reach: reach2)
        }
        _ = wiT
        return best.map { PointValue(power: $0.power, loss: $0.loss, type: .aroundCorners, distance: $0.dist, entryLoss: $0.bel) }
    }

    /// The best level-1 state at a node the transmitter does not see (CornerSearch's `nodeBest`: the highest
    /// key `eirp + gain − (FSPL + turn)`, then the lower source id), or nil when no level-1 source reaches it.
    func level2State(_ col: Int, _ row: Int) -> CornerSource? {
        let cellSize = sv.cellSize
        let k4 = 4 * Double.pi * s.frequency / 299_792_458.0
        let zn = Double(sv.ground[row * sv.columns + col]) + s.hRx
        let dzN = s.zTx - zn
        let radius1 = CornerSearch.radiusCells(level: 1, s)
        var list: [(total: Double, col: Int, row: Int)] = []
        nodesAround(col, row, radius: radius1) { c, r in
            let ax = Double(c - s.txCol), ay = Double(r - s.txRow)
            let bx = Double(col - c), by = Double(row - r)
            let total = cellSize * ((ax * ax + ay * ay).squareRoot() + (bx * bx + by * by).squareRoot())
            if total <= s.range * (1 + 1e-9) { list.append((total, c, r)) }
        }
        list.sort { ($0.total, $0.row, $0.col) < ($1.total, $1.row, $1.col) }
        var best: (key: Double, wi: Int, state: CornerSource)?
        for e in list {
            if let bst = best, bst.key > s.eirp - 20 * log10(max(e.total, 1) * k4) + 1e-3 { break }
            let ax = Double(e.col - s.txCol), ay = Double(e.row - s.txRow)
            if let bst = best, bst.key > s.eirp - 20 * log10(max(e.total, 1) * k4) - turnLowerBound(ax, ay, col - e.col, row - e.row) + 1e-3 {
                continue
            }
            guard kept(e.col, e.row), visibleFromTransmitter(e.col, e.row) else { continue }
            let q = level1Source(e.col, e.row)
            let rq = min(CornerSearch.radiusCells(level: 1, s), Int(((s.range - q.length) / cellSize).rounded(.down)))
            guard let (px, py) = leg(fromColumn: q.column, row: q.row, radius: rq, to: col, row, target: -1) else { continue }
            let dx = col - q.column, dy = row - q.row
            let limit = s.range - q.length
            let leg2 = Double(dx &* dx &+ dy &* dy) * cellSize * cellSize
            guard limit > 0 && leg2 <= limit * limit * (1 + 1e-9) else { continue }
            let total = q.length + cellSize * Double(dx * dx + dy * dy).squareRoot()
            guard total <= s.range else { continue }
            let turn = s.cornerLoss.lossDB(turnAngleDegrees: fastTurnAngleDegrees(
                fromX: q.inX, fromY: q.inY, toX: Double(px), toY: Double(py)))
            let d3 = (total * total + dzN * dzN).squareRoot()
            let base = FreeSpace.pathLossDB(distanceMeters: max(d3, 1), frequencyHz: s.frequency) + q.turnLoss + turn
            let key = s.eirp + q.gainDelta - base
            let wi = s.windowIndex(column: q.column, row: q.row)
            if best == nil || key > best!.key || (key == best!.key && wi < best!.wi) {
                best = (key, wi, CornerSource(column: col, row: row, length: total, turnLoss: q.turnLoss + turn,
                                              inX: Double(px), inY: Double(py), gainDelta: q.gainDelta, id: -1))
            }
        }
        return best?.state
    }
}

extension NodeIndex {
    /// An index without nodes (for runs without corner paths).
    static func empty(rows: Int) -> NodeIndex { NodeIndex(rowStart: [Int](repeating: 0, count: rows + 1), columns: []) }
}
