import Foundation
import LitfassGeo
import LitfassRadio

/// The corner-node candidates of a whole scene (cells passing `CornerSearch.isNode`, which depends on the scene
/// only), per row as sorted columns. Built once per kernel, on the first point link.
/// Memory: 4 bytes per candidate plus 8 bytes per row.
final class NodeIndex: Sendable {
    let rowStart: [Int]
    let columns: [Int32]
    /// Per candidate: kept by the cluster rule when the window is the whole scene and every cell is computed.
    let sceneKept: [Bool]
    /// Per candidate: bounding box (min column, min row, max column, max row) of the candidates its kept state
    /// depends on (itself and, transitively, its candidate predecessors). Inside a window's interior and range
    /// circle the window's rule gives `sceneKept`.
    let closure: [(Int32, Int32, Int32, Int32)]

    init(rowStart: [Int], columns: [Int32]) {
        self.rowStart = rowStart
        self.columns = columns
        sceneKept = []
        closure = []
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
        // The cluster rule over the whole scene, in row-major order (predecessors come first).
        var kept = [Bool](repeating: false, count: all.count)
        var box = [(Int32, Int32, Int32, Int32)](repeating: (0, 0, 0, 0), count: all.count)
        func find(_ c: Int, _ r: Int) -> Int? {
            guard r >= 0, r < rows, c >= 0, c < sv.columns else { return nil }
            var lo = start[r], hi = start[r + 1]
            while lo < hi {
                let mid = (lo + hi) >> 1
                if Int(all[mid]) < c { lo = mid + 1 } else { hi = mid }
            }
            return lo < start[r + 1] && Int(all[lo]) == c ? lo : nil
        }
        for r in 0..<rows {
            for i in start[r]..<start[r + 1] {
                let c = Int(all[i])
                var b = (Int32(c), Int32(r), Int32(c), Int32(r))
                var near = false
                for (pc, pr) in [(c - 1, r), (c, r - 1), (c - 1, r - 1), (c + 1, r - 1)] {
                    guard let p = find(pc, pr) else { continue }
                    near = near || kept[p]
                    let q = box[p]
                    b = (min(b.0, q.0), min(b.1, q.1), max(b.2, q.2), max(b.3, q.3))
                }
                kept[i] = !near
                box[i] = b
            }
        }
        sceneKept = kept
        closure = box
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
    private var geometries: [GeometryKey: GeometryMemoPool] = [:]
    /// At most this many window geometries are kept (then the cache starts over).
    static let maxGeometries = 1024

    private var groundRange: (Double, Double)?

    /// The lowest and highest ground height of the scene [m] (computed once).
    func groundRange(_ sv: SceneView) -> (min: Double, max: Double) {
        lock.lock()
        if let g = groundRange { lock.unlock(); return g }
        lock.unlock()
        var lo = Float.infinity, hi = -Float.infinity
        for i in 0..<(sv.columns * sv.rows) { lo = min(lo, sv.ground[i]); hi = max(hi, sv.ground[i]) }
        let g = (Double(lo), Double(hi))
        lock.lock(); defer { lock.unlock() }
        groundRange = g
        return g
    }

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

    private var entryLossTables: [EntryLossKey: [Double]] = [:]

    struct EntryLossKey: Hashable {
        let frequencyBits: UInt64, probabilityBits: UInt64
        let buildingClass: Int
    }

    /// The P.2109 table of `RunSetup` for a frequency and the settings (cached; at most 256 kept).
    func entryLossTable(frequencyHz: Double, settings: KernelSettings) -> [Double] {
        let key = EntryLossKey(frequencyBits: frequencyHz.bitPattern, probabilityBits: settings.buildingEntryProbabilityPercent.bitPattern,
                               buildingClass: settings.buildingClass.rawValue)
        lock.lock()
        if let t = entryLossTables[key] { lock.unlock(); return t }
        lock.unlock()
        let t = RunSetup.entryLossTable(frequencyHz: frequencyHz, settings: settings)
        lock.lock(); defer { lock.unlock() }
        if entryLossTables.count >= 256 { entryLossTables.removeAll() }
        entryLossTables[key] = t
        return t
    }

    func memo(_ key: GeometryKey, nodeCount: Int) -> GeometryMemoPool {
        lock.lock(); defer { lock.unlock() }
        if let m = geometries[key] { return m }
        if geometries.count >= Self.maxGeometries { geometries.removeAll() }
        let m = GeometryMemoPool(count: RunSetup.processorCount, nodeCount: nodeCount)
        geometries[key] = m
        return m
    }
}

/// One `GeometryMemo` per core for a geometry: concurrent point links on the same spot (a batch of addresses) each
/// take a memo no one else holds instead of waiting. Every memo is valid on its own (a memo never changes a result).
final class GeometryMemoPool: Sendable {
    let memos: [GeometryMemo]

    init(count: Int, nodeCount: Int) {
        let deep = DeepSourceCache()
        memos = (0..<max(1, count)).map { _ in GeometryMemo(nodeCount: nodeCount, deep: deep) }
    }

    /// A memo, locked for the caller: the first free one, else the first once it is free.
    func acquire() -> GeometryMemo {
        for m in memos where m.lock.try() { return m }
        memos[0].lock.lock()
        return memos[0]
    }
}

/// The geometry a point link's node bookkeeping depends on.
struct GeometryKey: Hashable {
    let txCol: Int, txRow: Int, c0: Int, r0: Int, columns: Int, rows: Int
    let rangeBits: UInt64
    let cornerRadiusCells: Int
}

/// Per-geometry memo: per ray of the radial sweep the first step on a building cell (street-level visibility
/// from the transmitter), and the cluster rule's kept state of nodes near a window border. A point evaluation
/// holds `lock` for its whole run (evaluations of one geometry run one after the other; others in parallel).
final class GeometryMemo: @unchecked Sendable {
    let lock = NSLock()
    /// Per ray index: −1 unknown, else the first step whose cell is a building (R + 1 when none).
    var firstBuilding: [Int32] = []
    var kept: [Int: Bool] = [:]
    /// The emitters evaluated on this geometry, numbered (at most `maxSlots` get level-2 tables).
    var emitterSlots: [EmitterKey: Int] = [:]
    /// The number of node candidates of the scene's `NodeIndex`.
    let nodeCount: Int
    /// Per node candidate: 0 unknown, 1 not a node of this window (cluster rule), 2 a level-1 source (the
    /// transmitter sees it at street level), 3 a node the transmitter does not see. Flat, read in the hot loops.
    let nodeClass: UnsafeMutablePointer<UInt8>
    /// Per emitter slot, per node candidate: −1 unknown, −2 no level-1 source reaches the node, else the index of its
    /// best level-1 state (`PointEvaluator.level2States`) in `level2States`. A node's state does not depend on the
    /// target, so point links near each other (the façade and the inside of a building, neighbouring addresses) share
    /// it. A slot's table (4 bytes per candidate) is allocated on its first use.
    let level2Index: UnsafeMutablePointer<UnsafeMutablePointer<Int32>?>
    var level2States: [CornerSource] = []
    /// At most this many level-2 states are kept (then they start over), and this many emitters get tables.
    static let maxLevel2States = 1 << 18, maxSlots = 64

    /// The sources of levels ≥ 3 per emitter, shared by the pool's memos.
    let deep: DeepSourceCache

    init(nodeCount: Int, deep: DeepSourceCache) {
        self.nodeCount = nodeCount
        self.deep = deep
        nodeClass = .allocate(capacity: max(1, nodeCount))
        nodeClass.initialize(repeating: 0, count: max(1, nodeCount))
        level2Index = .allocate(capacity: Self.maxSlots)
        level2Index.initialize(repeating: nil, count: Self.maxSlots)
    }

    deinit {
        for k in 0..<Self.maxSlots { level2Index[k]?.deallocate() }
        level2Index.deallocate()
        nodeClass.deallocate()
    }

    /// The slot of an emitter; −1 beyond `maxSlots` (its level-2 states are then not memoised). Under `lock`.
    func slot(_ key: EmitterKey) -> Int {
        if let k = emitterSlots[key] { return k < Self.maxSlots ? k : -1 }
        let k = emitterSlots.count
        emitterSlots[key] = k
        return k < Self.maxSlots ? k : -1
    }

    /// Records a node's state for a slot, allocating the slot's table on its first state (under `lock`).
    func storeLevel2(slot: Int, node: Int, _ state: CornerSource?) {
        guard slot >= 0, slot < Self.maxSlots else { return }
        if level2States.count >= Self.maxLevel2States {
            level2States = []
            for k in 0..<Self.maxSlots { level2Index[k]?.update(repeating: -1, count: max(1, nodeCount)) }
        }
        let table: UnsafeMutablePointer<Int32>
        if let existing = level2Index[slot] { table = existing } else {
            table = .allocate(capacity: max(1, nodeCount))
            table.initialize(repeating: -1, count: max(1, nodeCount))
            level2Index[slot] = table
        }
        guard let state else { table[node] = -2; return }
        table[node] = Int32(level2States.count)
        level2States.append(state)
    }
}

/// The corner sources of levels 3 and more of one window and emitter, as `compute` finds them: the whole window's
/// label-correcting node search (`CornerSearch.searchLevels` over the window's nodes, without the cells). Sorted by
/// window index, then level.
struct DeepSources: Sendable {
    let windowIndex: [Int]
    let level: [UInt8]
    let states: [CornerSource]

    /// The state of the level-`level` source at window index `wi`, if there is one (a node can be a source at several
    /// levels: entries are sorted by window index, then level).
    func state(at wi: Int, level l: Int) -> CornerSource? {
        var lo = 0, hi = windowIndex.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if windowIndex[mid] < wi { lo = mid + 1 } else { hi = mid }
        }
        while lo < windowIndex.count && windowIndex[lo] == wi {
            if Int(level[lo]) == l { return states[lo] }
            lo += 1
        }
        return nil
    }
}

/// `DeepSources` per emitter of a geometry (computed once, under the lock: a second caller waits for the first).
/// At most `maxEmitters` are kept, then the cache starts over; a kept value is the computed one.
final class DeepSourceCache: @unchecked Sendable {
    private let lock = NSLock()
    private var table: [EmitterKey: DeepSources] = [:]
    static let maxEmitters = 64

    func sources(_ key: EmitterKey, build: () -> DeepSources) -> DeepSources {
        lock.lock(); defer { lock.unlock() }
        if let d = table[key] { return d }
        if table.count >= Self.maxEmitters { table.removeAll() }
        let d = build()
        table[key] = d
        return d
    }
}

/// What a node's level-2 state depends on beyond the geometry (window, range, corner radius): the emitter's antenna
/// (height above the datum too: two spots in one cell share a geometry), power and frequency, and the receiver height.
struct EmitterKey: Hashable {
    let frequency: UInt64, eirp: UInt64, azimuth: UInt64, downtilt: UInt64, receiverHeight: UInt64, antennaHeight: UInt64
    let budget: UInt64
    let pattern: AntennaPattern
    init(_ s: RunSetup) {
        frequency = s.frequency.bitPattern; eirp = s.eirp.bitPattern; azimuth = s.azimuth.bitPattern
        downtilt = s.downtilt.bitPattern; receiverHeight = s.hRx.bitPattern; antennaHeight = s.zTx.bitPattern
        budget = s.pathLossBudget.bitPattern
        pattern = s.pattern
    }

    /// The numbers and the pattern's maximum gain (not its name: a non-ASCII `String` is slow to hash); equality
    /// still compares the whole pattern.
    func hash(into hasher: inout Hasher) {
        hasher.combine(frequency); hasher.combine(eirp); hasher.combine(azimuth); hasher.combine(downtilt)
        hasher.combine(receiverHeight); hasher.combine(antennaHeight); hasher.combine(pattern.maxGainDBi)
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

/// One point of the window evaluated as `RayCastEngine.run` evaluates it, without computing the window, for one
/// or more co-located emitters at once (transmitters with the same position, antenna height and range, hence the
/// same window, rays and corner nodes; they may differ in frequency, EIRP and antenna):
///
/// * direct path: the target's owner ray of the radial sweep (same `RunSetup` ray set, same hull, snapshot at
///   building runs, same tangent / Deygout / gain / entry-loss code); the profile is walked once, the losses,
///   gains and entry losses are per emitter;
/// * corner paths: only the nodes within the corner search radius of the target (level 1) or half of it
///   (level 2), each tested with the sweep's own rules (node cluster rule, street-level visibility from the
///   transmitter on the owner ray, the target's owner ray in the node's square ray set, reach bound, the
///   merge's tie-break: higher power, then lower source id), pruned only by exact upper bounds of a
///   candidate's received power (free space over a lower bound of the length, a lower bound of the turn loss).
///   The geometry (visibility, legs, turn angles, lengths) is shared; each emitter keeps its own best candidate
///   and its own level-2 states, and a candidate is skipped only when its bound rules it out for every emitter.
///   Evaluating a candidate that an emitter's own bound rules out cannot change that emitter's result, so each
///   emitter's value is the one a single-emitter evaluation (and `compute`) gives.
struct PointEvaluator {
    let sv: SceneView
    /// The emitters' setups; window, rays, range, heights and corner settings are the same for all.
    let emitters: [RunSetup]
    /// The shared geometry (the first emitter's setup).
    let s: RunSetup
    let nodes: NodeIndex
    let memo: GeometryMemo
    let rangeCells2: Double
    /// Per emitter: 4π f / c [1/m] (free-space loss is 20 log10(k4 · d)).
    let k4: [Double]
    /// Per emitter: its slot in `memo` (for the level-2 states).
    let slots: [Int]

    /// The scene's lowest and highest ground [m] (bounds the elevation of corner paths' first legs).
    let groundRange: (min: Double, max: Double)
    /// Corner legs to the target already walked for other spots (see `LegMemo`); nil: every leg is walked.
    let legs: LegMemo?

    /// Call with `memo.lock` held; `legs` must not be used by another evaluation at the same time.
    init(_ sv: SceneView, _ emitters: [RunSetup], nodes: NodeIndex, memo: GeometryMemo, groundRange: (min: Double, max: Double),
         legs: LegMemo? = nil) {
        precondition(!emitters.isEmpty)
        self.sv = sv; self.emitters = emitters; self.s = emitters[0]; self.nodes = nodes; self.memo = memo
        self.groundRange = groundRange
        self.legs = legs
        rangeCells2 = (s.range / sv.cellSize) * (s.range / sv.cellSize)
        k4 = emitters.map { 4 * Double.pi * $0.frequency / 299_792_458.0 }
        precondition(memo.nodeCount == nodes.columns.count)
        slots = emitters.map { memo.slot(EmitterKey($0)) }
    }

    /// The class of node candidate `i` at (col, row) in this window (memoised in `memo.nodeClass`, see there).
    @inline(__always) func nodeClass(_ i: Int, _ col: Int, _ row: Int) -> UInt8 {
        let known = memo.nodeClass[i]
        if known != 0 { return known }
        let c: UInt8 = !kept(col, row) ? 1 : visibleFromTransmitter(col, row) ? 2 : 3
        memo.nodeClass[i] = c
        return c
    }

    /// Whether `compute` computes the cell (inside the window and the range circle).
    @inline(__always) func computed(_ col: Int, _ row: Int) -> Bool {
        guard s.inWindow(column: col, row: row) else { return false }
        let dx = col - s.txCol, dy = row - s.txRow
        return Double(dx * dx + dy * dy) <= rangeCells2
    }

    /// The values `compute` gives at (col, row), one per emitter; nil when the cell is not computed.
    func evaluate(column col: Int, row: Int) -> [PointValue]? {
        guard computed(col, row) else { return nil }
        let gi = row * sv.columns + col
        let b = sv.index[gi]
        let zr = Double(sv.ground[gi]) + s.hRx
        if col == s.txCol && row == s.txRow {
            let d3 = max(1, abs(s.zTx - zr))
            let el = zr >= s.zTx ? 90.0 : -90.0
            return emitters.map { e in
                var l = e.directModelLoss(los: true, d2: 0, d3: d3) { 0 }
                var bel = 0.0
                if b >= 0 { bel = e.buildingEntryLoss(elevationDeg: el); l += bel }
                let gd = e.gainDelta(dirColumn: 0, dirRow: -1, elevationDeg: el)
                return PointValue(power: Float(e.eirp + gd - l), loss: Float(l), type: .lineOfSight, distance: Float(d3), entryLoss: bel)
            }
        }
        var values = direct(col, row, b: b, zr: zr)
        guard s.cornerTurns > 0, values[0].type == .overRooftops else { return values }
        let corners = corner(col, row, b: b, zr: zr, directPower: values.map(\.power))
        for e in values.indices {
            if let c = corners[e], c.power > values[e].power { values[e] = c }
        }
        return values
    }

    /// The direct path: the owner ray's profile up to the target, as `RayCastEngine.sweepRay` builds it.
    func direct(_ col: Int, _ row: Int, b target: Int32, zr: Double) -> [PointValue] {
        let dx = col - s.txCol, dy = row - s.txRow
        let k = max(abs(dx), abs(dy))
        let (px, py, R) = s.rays.owner(dx: dx, dy: dy)
        let cellSize = sv.cellSize
        let stepLen = RayGeometry.stepLength(px: px, py: py, radius: R, cellSize: cellSize)
        let rayAzimuth = atan2(Double(px), -Double(py)) * 180 / Double.pi
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
        let elev = los ? elevationDegrees(zr - s.zTx, sR) : elevationDegrees(pz[1] - s.zTx, ps[1])
        let arrival = los ? elevationDegrees(dz, sR) : elevationDegrees(pz[t] - zr, sR - ps[t])
        return emitters.map { e in
            var l = e.directModelLoss(los: los, d2: sR, d3: d3) {
                TautStringDiffraction.lossDB(ps, pz, t: t, rS: sR, rZ: zr, lambda: e.lambda)
            }
            var bel = 0.0
            if target >= 0 {
                bel = e.buildingEntryLoss(elevationDeg: arrival)
                l += bel
            }
            let g = e.pattern.gainDBi(azimuthOffDeg: rayAzimuth - e.azimuth, elevationDeg: elev, downtiltDeg: e.downtilt) - e.maxGain
            return PointValue(power: Float(e.eirp + g - l), loss: Float(l), type: los ? .lineOfSight : .overRooftops,
                              distance: Float(d3), entryLoss: bel)
        }
    }

    // MARK: Nodes

    /// `detectNodes`' cluster rule for one cell: a computed node candidate is kept unless a node was kept at
    /// its left, up-left, up or up-right window neighbour (evaluated recursively; clusters are small).
    func kept(_ col: Int, _ row: Int) -> Bool {
        guard computed(col, row) else { return false }
        let i = nodes.lowerBound(row: row, column: col)
        guard i < nodes.rowStart[row + 1] && Int(nodes.columns[i]) == col else { return false }
        // Inside the window's interior and the range circle, the window's rule is the scene's.
        let (bc0, br0, bc1, br1) = nodes.closure[i]
        if Int(bc0) - 1 >= s.c0 && Int(br0) - 1 >= s.r0 && Int(bc1) + 1 < s.c0 + s.columns && Int(br1) < s.r0 + s.rows
            && computed(Int(bc0), Int(br0)) && computed(Int(bc1), Int(br0)) && computed(Int(bc0), Int(br1))
            && computed(Int(bc1), Int(br1)) {
            return nodes.sceneKept[i]
        }
        let gi = row * sv.columns + col
        if let v = memo.kept[gi] { return v }
        let x = col - s.c0, y = row - s.r0
        var near = x > 0 && kept(col - 1, row)
        if !near && y > 0 {
            near = kept(col, row - 1) || (x > 0 && kept(col - 1, row - 1)) || (x + 1 < s.columns && kept(col + 1, row - 1))
        }
        memo.kept[gi] = !near
        return !near
    }

    /// Street-level visibility of an outdoor cell from the transmitter (no building cell on its owner ray
    /// before it), the sweep's `visible2D`.
    func visibleFromTransmitter(_ col: Int, _ row: Int) -> Bool {
        let dx = col - s.txCol, dy = row - s.txRow
        let k = max(abs(dx), abs(dy))
        guard k > 1 else { return true }
        let (px, py, R) = s.rays.owner(dx: dx, dy: dy)
        let ray = s.rays.index(px: px, py: py, radius: R)
        if memo.firstBuilding.isEmpty { memo.firstBuilding = [Int32](repeating: -1, count: s.rays.count) }
        var first = Int(memo.firstBuilding[ray])
        if first < 0 {
            // Walk the ray to its first building cell (or out of the window).
            var walker = RayWalker(px: px, py: py, radius: R)
            first = R + 1
            for i in 1...R {
                let (ox, oy, _) = walker.advance()
                let c = s.txCol + ox, r = s.txRow + oy
                guard s.inWindow(column: c, row: r) else { break }
                if sv.index[r * sv.columns + c] >= 0 { first = i; break }
            }
            memo.firstBuilding[ray] = Int32(first)
        }
        return k <= first
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

    /// `leg` to the target of the evaluation (col, row, building b), through `legs`: a leg whose walk stays inside
    /// this window (every cell of step i lies within Chebyshev distance i of the source) depends only on the scene,
    /// the source, the radius and the target, so a leg another spot walked to the same target is that leg.
    @inline(__always)
    func targetLeg(fromColumn qc: Int, row qr: Int, radius rq: Int, to col: Int, _ row: Int, target b: Int32) -> (px: Int, py: Int)? {
        let k = max(abs(col - qc), abs(row - qr))
        guard let legs, rq >= 1, k >= 1, k <= rq, qc - (k - 1) >= s.c0, qc + (k - 1) < s.c0 + s.columns,
              qr - (k - 1) >= s.r0, qr + (k - 1) < s.r0 + s.rows, let key = LegMemo.key(column: qc, row: qr, radius: rq)
        else { return leg(fromColumn: qc, row: qr, radius: rq, to: col, row, target: b) }
        legs.prepare(column: col, row: row, building: b)
        if let known = legs.toTarget.value(key) { return known }
        let walked = leg(fromColumn: qc, row: qr, radius: rq, to: col, row, target: b)
        legs.toTarget.store(key, walked)
        return walked
    }

    /// `leg` from a level-1 source to a level-2 node (target −1), through `legs.toNode` under the same window condition
    /// as `targetLeg`: such a leg depends only on the scene, the source, the node and the radius.
    @inline(__always)
    func nodeLeg(fromColumn qc: Int, row qr: Int, radius rq: Int, to col: Int, _ row: Int) -> (px: Int, py: Int)? {
        let k = max(abs(col - qc), abs(row - qr))
        guard let legs, rq >= 1, k >= 1, k <= rq, qc - (k - 1) >= s.c0, qc + (k - 1) < s.c0 + s.columns,
              qr - (k - 1) >= s.r0, qr + (k - 1) < s.r0 + s.rows,
              let key = LegMemo.key(column: qc, row: qr, dx: col - qc, dy: row - qr, radius: rq)
        else { return leg(fromColumn: qc, row: qr, radius: rq, to: col, row, target: -1) }
        if let known = legs.toNode.value(key) { return known }
        let walked = leg(fromColumn: qc, row: qr, radius: rq, to: col, row, target: -1)
        if legs.toNode.count >= LegMemo.maxNodeLegs { legs.toNode.removeAll() }
        legs.toNode.store(key, walked)
        return walked
    }

    /// Lower bound of the turn loss between the incoming direction (ax, ay) and the leg to (dx, dy) at
    /// Chebyshev distance k: the ray's direction differs from (dx, dy) by less than atan(1/k) (a half-cell
    /// rounding of the perimeter point at radius ≥ k, generously doubled).
    func turnLowerBound(_ ax: Double, _ ay: Double, _ dx: Int, _ dy: Int) -> Double {
        let k = Double(max(abs(dx), abs(dy)))
        let phi = fastTurnAngleDegrees(fromX: ax, fromY: ay, toX: Double(dx), toY: Double(dy))
        let tol = elevationDegrees(1, k) + 3e-3     // + the polynomial's error (< 6e-4°)
        let lo = max(0, phi - tol), hi = min(180, phi + tol)
        var m = min(s.cornerLoss.lossDB(turnAngleDegrees: lo), s.cornerLoss.lossDB(turnAngleDegrees: hi))
        if lo < 90 && hi > 90 { m = min(m, s.cornerLoss.lossDB(turnAngleDegrees: 90)) }
        return max(0, m)
    }

    /// Lower bound of the two turn losses of any level-2 path through node (nc, nr) to (tc, tr). The turns
    /// add up to at least the angle between the first leg (transmitter → a level-1 source q within the corner
    /// radius of the node) and the last leg's ray (triangle inequality of angles), and for a concave,
    /// non-decreasing loss L(φ₁) + L(φ₂) ≥ L(φ₁ + φ₂) (subadditivity). The first leg's direction lies in the
    /// angular interval of the source box seen from the transmitter; the last ray's within atan(1/k) of the
    /// direction to the target. 0 when the corner loss is not concave or the transmitter is in the box.
    func netTurnLowerBound(_ nc: Int, _ nr: Int, _ tc: Int, _ tr: Int) -> Double {
        let l90 = s.cornerLoss.lossAt90DegreesDB, l180 = s.cornerLoss.lossAt180DegreesDB
        guard l90 >= 0, l180 >= l90, l180 - l90 <= l90 else { return 0 }
        let r1 = Double(CornerSearch.radiusCells(level: 1, s)) + 0.5
        let ex = Double(nc - s.txCol), ey = Double(nr - s.txRow)
        guard abs(ex) > r1 + 1 || abs(ey) > r1 + 1 else { return 0 }
        @inline(__always) func wrap(_ a: Double) -> Double { a > 180 ? a - 360 : (a < -180 ? a + 360 : a) }
        let base = elevationDegrees(ey, ex)
        var lo = 0.0, hi = 0.0
        for (cx, cy) in [(ex - r1, ey - r1), (ex + r1, ey - r1), (ex - r1, ey + r1), (ex + r1, ey + r1)] {
            let a = wrap(elevationDegrees(cy, cx) - base)
            lo = min(lo, a); hi = max(hi, a)
        }
        let dx = tc - nc, dy = tr - nr
        let k = Double(max(abs(dx), abs(dy)))
        guard k >= 1 else { return 0 }
        let theta = wrap(elevationDegrees(Double(dy), Double(dx)) - base)
        let dist = theta >= lo && theta <= hi ? 0 : min(abs(wrap(theta - lo)), abs(wrap(theta - hi)))
        let angle = dist - elevationDegrees(1, k) - 6e-3   // + the polynomial's errors (< 6e-4° each)
        return angle > 0 ? s.cornerLoss.lossDB(turnAngleDegrees: angle) : 0
    }

    /// The level-1 source at a node for emitter `e` (as `CornerSearch.run` builds it).
    func level1Source(_ col: Int, _ row: Int, emitter e: Int) -> CornerSource {
        CornerSearch.level1Source(sv, emitters[e], column: col, row: row, id: -1)
    }

    /// The sources of levels ≥ 3 of this window for emitter `e` (cached per geometry and emitter): the window's
    /// flags as the corner search reads them — computed (range circle), building, node, street-level visibility
    /// from the transmitter on the nodes — with every cell marked in line of sight so that the sweeps only look for
    /// nodes, then `CornerSearch.searchLevels` up to level `cornerTurns − 1`, which finds the last level's sources.
    func deepSources(_ e: Int) -> DeepSources {
        memo.deep.sources(EmitterKey(emitters[e])) {
            let es = emitters[e]
            let n = s.columns * s.rows
            let flags = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
            defer { flags.deallocate() }
            for y in 0..<s.rows {
                for x in 0..<s.columns {
                    let col = s.c0 + x, row = s.r0 + y
                    var f: UInt8 = computed(col, row) ? CellFlag.computed | CellFlag.directLOS : 0
                    if sv.index[row * sv.columns + col] >= 0 { f |= CellFlag.building }
                    flags[y * s.columns + x] = f
                }
            }
            let nodes = CornerSearch.detectNodes(sv, es, flags: flags)
            var level1: [CornerSource] = []
            for wi in nodes {
                flags[wi] |= CellFlag.node
                let col = s.c0 + wi % s.columns, row = s.r0 + wi / s.columns
                guard visibleFromTransmitter(col, row) else { continue }
                flags[wi] |= CellFlag.visible2D
                if !(col == s.txCol && row == s.txRow) {
                    let q = CornerSearch.level1Source(sv, es, column: col, row: row, id: Int32(level1.count))
                    if es.withinBudget(key: CornerSearch.level1Key(sv, es, q)) { level1.append(q) }
                }
            }
            let skip = CornerSearch.skipDistances(es, flags: flags, wanted: nil)
            defer { skip.deallocate() }
            let reach = ReachBounds(count: n, threads: es.threads)
            defer { reach.deallocate() }
            // No cell gets a candidate (every cell is "in line of sight"), so the outputs are never written.
            let none = UnsafeMutablePointer<Float>.allocate(capacity: 1), noType = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
            let noSource = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
            defer { none.deallocate(); noType.deallocate(); noSource.deallocate() }
            let out = OutputView(power: none, loss: none, type: noType, flags: flags, distance: none, keepDistance: false, wanted: nil)
            let merge = MergeTarget(power: none, loss: none, dist: none, source: noSource, reach: reach, keepDistance: false)
            let levels = CornerSearch.searchLevels(sv, es, out, nodes: nodes, level1: level1, reach: reach, skip: skip,
                                                   merge: merge, levels: s.cornerTurns - 1) { _ in }
            var entries: [(wi: Int, level: UInt8, state: CornerSource)] = []
            for (k, list) in levels.enumerated() where k >= 2 {
                for q in list { entries.append((s.windowIndex(column: q.column, row: q.row), UInt8(k + 1), q)) }
            }
            entries.sort { ($0.wi, $0.level) < ($1.wi, $1.level) }
            return DeepSources(windowIndex: entries.map(\.wi), level: entries.map(\.level), states: entries.map(\.state))
        }
    }

    /// Kept nodes (excluding the transmitter's cell) within Chebyshev distance `radius` of (col, row).
    func nodesAround(_ col: Int, _ row: Int, radius: Int, _ body: (Int, Int, Int) -> Void) {
        let rLo = max(s.r0, row - radius), rHi = min(s.r0 + s.rows - 1, row + radius)
        let cLo = max(s.c0, col - radius), cHi = min(s.c0 + s.columns - 1, col + radius)
        guard rLo <= rHi, cLo <= cHi else { return }
        for r in rLo...rHi {
            var i = nodes.lowerBound(row: r, column: cLo)
            let end = nodes.rowStart[r + 1]
            while i < end {
                let c = Int(nodes.columns[i])
                if c > cHi { break }
                if !(c == s.txCol && r == s.txRow) { body(c, r, i) }
                i += 1
            }
        }
    }

    /// Per emitter, an upper bound of the antenna gain (relative to the maximum, dB) towards the first leg of any
    /// corner path whose sources lie within `radius` cells (Chebyshev) of (col, row): the pattern's bound over the
    /// azimuths and elevations from the transmitter to that box. 0 (no bound) when the transmitter is in or next
    /// to the box.
    func firstLegGainBound(_ col: Int, _ row: Int, radius: Int) -> [Double] {
        let half = Double(radius) + 0.5
        let ex = Double(col - s.txCol), ey = Double(row - s.txRow)
        guard abs(ex) > half + 1 || abs(ey) > half + 1 else { return [Double](repeating: 0, count: emitters.count) }
        // Azimuths (clockwise from north; rows grow southwards) of the box corners around the one of its centre.
        @inline(__always) func azimuth(_ x: Double, _ y: Double) -> Double { atan2(x, -y) * 180 / Double.pi }
        let base = azimuth(ex, ey)
        var lo = 0.0, hi = 0.0
        for (cx, cy) in [(ex - half, ey - half), (ex + half, ey - half), (ex - half, ey + half), (ex + half, ey + half)] {
            var a = azimuth(cx, cy) - base
            if a > 180 { a -= 360 } else if a < -180 { a += 360 }
            lo = min(lo, a); hi = max(hi, a)
        }
        // Elevations: receiver-height points over the scene's ground range, at the box's nearest and farthest distance.
        let cellSize = sv.cellSize
        let nx = max(0, abs(ex) - half), ny = max(0, abs(ey) - half)
        let near = cellSize * (nx * nx + ny * ny).squareRoot(), far = cellSize * ((abs(ex) + half) * (abs(ex) + half) + (abs(ey) + half) * (abs(ey) + half)).squareRoot()
        var elLo = Double.infinity, elHi = -Double.infinity
        for dz in [groundRange.min + s.hRx - s.zTx, groundRange.max + s.hRx - s.zTx] {
            for l in [near, far] {
                let e = atan2(dz, l) * 180 / Double.pi
                elLo = min(elLo, e); elHi = max(elHi, e)
            }
        }
        // Margins for the kernel's polynomial angles (errors < 6e-4°).
        let margin = 0.01
        return emitters.map { e in
            let g = e.pattern.maxGainDBi(azimuthOffDeg: (base + lo - e.azimuth - margin)...(base + hi - e.azimuth + margin),
                                         elevationDeg: (elLo - margin)...(elHi + margin), downtiltDeg: e.downtilt)
            return min(0, g - e.maxGain + 1e-3)
        }
    }

    /// The best corner path to an NLOS target per emitter, by `CornerSearch`'s rules; nil for an emitter when no
    /// source produces one.
    ///
    /// Candidates are visited in order of a lower bound of their horizontal length; a candidate's received power
    /// is at most `eirp − FSPL(length bound) − turn-loss bound − entry-loss bound` (gain ≤ the pattern maximum,
    /// FSPL over the 3-D length ≥ over the horizontal one), so the visit stops, or skips one, when that bound is
    /// below the best so far (the direct path, or a corner candidate) by more than a 1e-3 dB margin for every
    /// emitter — a skipped candidate could neither win nor tie.
    func corner(_ col: Int, _ row: Int, b: Int32, zr: Double, directPower: [Float]) -> [PointValue?] {
        let count = emitters.count
        let cellSize = sv.cellSize
        let log2of10over20 = log2(10.0) / 20
        let indoor = b >= 0
        let dzT = s.zTx - zr
        // Per emitter: the entry-loss bound and the level-1 reach (CornerSearch.run step 0), from the direct power.
        let belLB = emitters.map { indoor ? $0.buildingEntryLoss(elevationDeg: 0) : 0 }
        // Per emitter, what every candidate loses at least beyond free space and turns: the entry-loss bound minus the
        // bound of the antenna gain towards any first leg (every source lies within radius1 + radius2 of the target).
        let radiusAll = CornerSearch.radiusCells(level: 1, s) + (s.cornerTurns >= 2 ? CornerSearch.radiusCells(level: 2, s) : 0)
        let gainBound = firstLegGainBound(col, row, radius: radiusAll + 1)
        let lossLB = (0..<count).map { belLB[$0] - gainBound[$0] }
        let reach1 = (0..<count).map { e in
            Float(exp2((emitters[e].eirp - Double(directPower[e]) - belLB[e]) * log2of10over20) / k4[e])
        }
        // Best candidate per emitter: power, then lower source id — (level, window index of the source node) orders
        // as the ids.
        var best = [(power: Float, level: Int, wi: Int, loss: Float, dist: Float, bel: Double)?](repeating: nil, count: count)
        // The bound in decibels: a candidate of horizontal length `total` with `extra` dB of loss beyond free space
        // can matter for emitter e only if 20 log10(total) + extra ≤ budget[e] = eirp − best power so far + 1e-3 dB
        // margin − 20 log10(4πf/c); with `lossLB` added to `extra` for any candidate.
        let log10k4 = k4.map { 20 * log10($0) }
        var budget = (0..<count).map { e in emitters[e].eirp - Double(directPower[e]) + 1e-3 - log10k4[e] }
        var budgetMax = (0..<count).map { budget[$0] - lossLB[$0] }.max()!
        func lengthDB(_ total: Double) -> Double { 20 * log10(total) }
        /// The same bound as a length [m]: beyond it, `extra` dB rule a candidate out for emitter e.
        func maxLength(_ e: Int, extra: Double) -> Double { exp2((budget[e] - extra) * log2of10over20) }
        /// Evaluates the candidate of source q (level, reach, leg ray) at the target for emitter e, if the sweep
        /// makes one.
        func candidate(_ e: Int, _ q: CornerSource, level: Int, reach: Float, px: Int, py: Int, turn: Double) {
            let em = emitters[e]
            let dx = col - q.column, dy = row - q.row
            let rayFactor = exp2((q.gainDelta - q.turnLoss - turn) * (log2(10.0) / 20)) * (1 + 1e-4)
            let limit = min(s.range, Double(reach) * rayFactor) - q.length
            let leg2 = Double(dx &* dx &+ dy &* dy) * cellSize * cellSize
            guard limit > 0 && leg2 <= limit * limit * (1 + 1e-9) else { return }
            let leg = cellSize * Double(dx * dx + dy * dy).squareRoot()
            let total = q.length + leg
            guard total <= s.range, total < Double(reach) * rayFactor else { return }
            let d3 = (total * total + dzT * dzT).squareRoot()
            let base = FreeSpace.pathLossDB(distanceMeters: max(d3, 1), frequencyHz: em.frequency) + q.turnLoss + turn
            var l = base
            var bel = 0.0
            if indoor { bel = em.buildingEntryLoss(elevationDeg: elevationDegrees(abs(dzT), total)); l += bel }
            let p = Float(em.eirp + q.gainDelta - l)
            let wi = s.windowIndex(column: q.column, row: q.row)
            if let bst = best[e], !(p > bst.power || (p == bst.power && (level, wi) < (bst.level, bst.wi))) { return }
            best[e] = (p, level, wi, Float(l), Float(d3), bel)
            budget[e] = em.eirp - Double(max(directPower[e], p)) + 1e-3 - log10k4[e]
            budgetMax = (0..<count).map { budget[$0] - lossLB[$0] }.max()!
        }
        @inline(__always) func turnLoss(_ q: CornerSource, _ px: Int, _ py: Int) -> Double {
            s.cornerLoss.lossDB(turnAngleDegrees: fastTurnAngleDegrees(fromX: q.inX, fromY: q.inY, toX: Double(px), toY: Double(py)))
        }
        func result() -> [PointValue?] {
            best.map { $0.map { PointValue(power: $0.power, loss: $0.loss, type: .aroundCorners, distance: $0.dist, entryLoss: $0.bel) } }
        }

        // Level 1: the kept nodes the transmitter sees (level-1 sources) within the corner radius of the target, in
        // order of a lower bound of the path length.
        let radius1 = CornerSearch.radiusCells(level: 1, s)
        let radius2 = s.cornerTurns >= 2 ? CornerSearch.radiusCells(level: 2, s) : 0
        var limit1 = -Double.infinity
        for e in 0..<count {
            limit1 = Swift.max(limit1, min(Double(reach1[e]) * (1 + 2e-4), s.range * (1 + 1e-9), maxLength(e, extra: lossLB[e])))
        }
        let list = paths(through: level1Sources(around: col, row, radius: radius1), to: col, row, within: radius1) { $0 < limit1 }
        for entry in list {
            let lt = lengthDB(entry.total)
            if lt > budgetMax { break }
            let ax = Double(entry.col - s.txCol), ay = Double(entry.row - s.txRow)
            let turnBound = turnLowerBound(ax, ay, col - entry.col, row - entry.row)
            guard lt + turnBound <= budgetMax else { continue }
            let qLength = cellSize * (ax * ax + ay * ay).squareRoot()
            let rq = min(radius1, Int(((s.range - qLength) / cellSize).rounded(.down)))
            guard let (px, py) = targetLeg(fromColumn: entry.col, row: entry.row, radius: rq, to: col, row, target: b) else { continue }
            var turn: Double?
            for e in 0..<count where lt + lossLB[e] + turnBound <= budget[e] {
                let q = level1Source(entry.col, entry.row, emitter: e)
                guard emitters[e].withinBudget(key: CornerSearch.level1Key(sv, emitters[e], q)) else { continue }
                if turn == nil { turn = turnLoss(q, px, py) }
                candidate(e, q, level: 1, reach: reach1[e], px: px, py: py, turn: turn!)
            }
        }
        guard s.cornerTurns >= 2 else { return result() }
        // Level 2: the reach bound from the best so far (direct or level 1), as CornerSearch tightens it.
        let reach2 = (0..<count).map { e in
            let bestSoFar = Swift.max(Double(directPower[e]), Double(best[e]?.power ?? -.infinity))
            return Float(exp2((emitters[e].eirp - bestSoFar - belLB[e]) * log2of10over20) / k4[e])
        }
        var nodeList: [CornerEntry] = []
        var limit2 = -Double.infinity
        for e in 0..<count {
            limit2 = Swift.max(limit2, min(Double(reach2[e]) * (1 + 2e-4), s.range * (1 + 1e-9), maxLength(e, extra: lossLB[e])))
        }
        nodesAround(col, row, radius: radius2) { c, r, i in
            let ax = Double(c - s.txCol), ay = Double(r - s.txRow)
            let bx = Double(col - c), by = Double(row - r)
            let total = cellSize * ((ax * ax + ay * ay).squareRoot() + (bx * bx + by * by).squareRoot())
            if total < limit2 { nodeList.append(CornerEntry(total: total, col: c, row: r, node: i)) }
        }
        CornerEntry.sortByLength(&nodeList)
        // The level-1 sources within the corner radius of any node near the target, gathered when a node's state is
        // first needed (most states are memoised).
        var sources: [(col: Int, row: Int, length: Double)]?
        // Longest level-1 state a node can have: |tx q| + |q n| ≤ |tx n| + 2 |q n|, |q n| ≤ √2 · radius1 cells.
        let slack = 2 * 2.0.squareRoot() * Double(radius1) * cellSize + 2 * cellSize
        // Per emitter flags and states, in one allocation per evaluation (read and written per node).
        let flags = UnsafeMutablePointer<Bool>.allocate(capacity: 3 * count)
        flags.initialize(repeating: false, count: 3 * count)
        defer { flags.deallocate() }
        let wanted = flags, viable = flags + count, known = flags + 2 * count
        let memoised = UnsafeMutablePointer<CornerSource?>.allocate(capacity: count)
        memoised.initialize(repeating: nil, count: count)
        defer { memoised.deinitialize(count: count); memoised.deallocate() }
        for entry in nodeList {
            let lt = lengthDB(entry.total)
            if lt > budgetMax { break }
            // Cheap memoised tests first: a level-2 node is a kept node the transmitter does not see.
            guard nodeClass(entry.node, entry.col, entry.row) == 3 else { continue }
            let turnBound = netTurnLowerBound(entry.col, entry.row, col, row)
            var any = false
            for e in 0..<count {
                wanted[e] = lt + lossLB[e] + turnBound <= budget[e]
                any = any || wanted[e]
            }
            guard any else { continue }
            // With each emitter's state at the node (memoised per node), a tighter bound: the state's own length, turn
            // loss and gain, and a lower bound of the last turn. Known states are checked before the last leg is
            // walked; missing ones are computed only when the leg reaches the target.
            let dx = col - entry.col, dy = row - entry.row
            let lastLeg = cellSize * Double(dx * dx + dy * dy).squareRoot()
            func anyViable(_ states: UnsafePointer<CornerSource?>, known: UnsafePointer<Bool>) -> Bool {
                var any = false
                for e in 0..<count {
                    viable[e] = false
                    guard wanted[e] else { continue }
                    guard known[e] else { viable[e] = true; any = true; continue }
                    guard let state = states[e] else { continue }
                    let lastTurn = turnLowerBound(state.inX, state.inY, dx, dy)
                    viable[e] = lengthDB(state.length + lastLeg) + belLB[e] + state.turnLoss + lastTurn - state.gainDelta <= budget[e]
                    any = any || viable[e]
                }
                return any
            }
            memoisedLevel2States(node: entry.node, wanted: wanted, into: memoised, known: known)
            guard anyViable(memoised, known: known) else { continue }
            let dnx = Double(entry.col - s.txCol), dny = Double(entry.row - s.txRow)
            let dTxN = cellSize * (dnx * dnx + dny * dny).squareRoot()
            let rUpper = min(radius2, Int(((s.range - dTxN) / cellSize).rounded(.down)))
            guard rUpper >= 1 else { continue }
            let decisive = Int(((s.range - dTxN - slack) / cellSize).rounded(.down)) >= rUpper
            let pre = targetLeg(fromColumn: entry.col, row: entry.row, radius: rUpper, to: col, row, target: b)
            if decisive && pre == nil { continue }
            // The memoised states when every wanted emitter's is known (most are: `viable` is then final), else the
            // missing ones computed.
            var allKnown = true
            for e in 0..<count where wanted[e] && !known[e] { allKnown = false }
            if !allKnown {
                let states = level2States(entry.col, entry.row, node: entry.node, wanted: Array(UnsafeBufferPointer(start: wanted, count: count)),
                                          target: (col, row), sources: &sources)
                for e in 0..<count { memoised[e] = states[e] }
                guard anyViable(memoised, known: wanted) else { continue }
            }
            for e in 0..<count where viable[e] {
                let state = memoised[e]!
                let rq = min(radius2, Int(((s.range - state.length) / cellSize).rounded(.down)))
                let ray = rq == rUpper ? pre : targetLeg(fromColumn: entry.col, row: entry.row, radius: rq, to: col, row, target: b)
                guard let (px, py) = ray else { continue }
                candidate(e, state, level: 2, reach: reach2[e], px: px, py: py, turn: turnLoss(state, px, py))
            }
        }
        guard s.cornerTurns >= 3 else { return result() }
        // Levels 3 and more: the sources of the whole window's level-by-level search (`deepSources`, cached) within
        // radius2 of the target, level by level, each level's reach bound from the best so far as CornerSearch
        // tightens it. Every candidate is evaluated (no bound on the first leg's gain: such paths wander).
        let deep = (0..<count).map { deepSources($0) }
        var near: [Int] = []
        nodesAround(col, row, radius: radius2) { c, r, _ in near.append(s.windowIndex(column: c, row: r)) }
        for level in 3...s.cornerTurns {
            for e in 0..<count {
                let bestSoFar = Swift.max(Double(directPower[e]), Double(best[e]?.power ?? -.infinity))
                let reachL = Float(exp2((emitters[e].eirp - bestSoFar - belLB[e]) * log2of10over20) / k4[e])
                for wi in near {
                    guard let state = deep[e].state(at: wi, level: level) else { continue }
                    let rq = min(radius2, Int(((s.range - state.length) / cellSize).rounded(.down)))
                    guard let (px, py) = targetLeg(fromColumn: state.column, row: state.row, radius: rq, to: col, row, target: b)
                    else { continue }
                    candidate(e, state, level: level, reach: reachL, px: px, py: py, turn: turnLoss(state, px, py))
                }
            }
        }
        return result()
    }

    /// The best level-1 state at a node the transmitter does not see, per wanted emitter (CornerSearch's
    /// `nodeBest`: the highest key `eirp + gain − (FSPL + turn)`, then the lower source id); nil for an emitter
    /// that is not wanted or that no level-1 source reaches.
    func level2States(_ col: Int, _ row: Int, node: Int, wanted: [Bool], target: (col: Int, row: Int),
                      sources: inout [(col: Int, row: Int, length: Double)]?) -> [CornerSource?] {
        let count = emitters.count
        var cached = [CornerSource?](repeating: nil, count: count), known = wanted
        wanted.withUnsafeBufferPointer { w in
            cached.withUnsafeMutableBufferPointer { c in
                known.withUnsafeMutableBufferPointer { k in
                    memoisedLevel2States(node: node, wanted: w.baseAddress!, into: c.baseAddress!, known: k.baseAddress!)
                }
            }
        }
        var missing = wanted
        var anyMissing = false
        for e in 0..<count where wanted[e] {
            missing[e] = !known[e]
            anyMissing = anyMissing || missing[e]
        }
        guard anyMissing else { return cached }
        if sources == nil {
            // Around the target of the evaluation: every node asked for lies within radius2 of it.
            sources = level1Sources(around: target.col, target.row, radius: CornerSearch.radiusCells(level: 1, s)
                                        + (s.cornerTurns >= 2 ? CornerSearch.radiusCells(level: 2, s) : 0))
        }
        let computed = computeLevel2States(col, row, sources: sources!, wanted: missing)
        for e in 0..<count where missing[e] {
            memo.storeLevel2(slot: slots[e], node: node, computed[e])
            cached[e] = computed[e]
        }
        return cached
    }

    /// The memoised level-2 states of the wanted emitters at a node (`NodeIndex` position), and which are known.
    @inline(__always) func memoisedLevel2States(node: Int, wanted: UnsafePointer<Bool>, into states: UnsafeMutablePointer<CornerSource?>,
                                                known: UnsafeMutablePointer<Bool>) {
        for e in 0..<emitters.count {
            states[e] = nil
            known[e] = false
            guard wanted[e] else { continue }
            guard slots[e] >= 0, let table = memo.level2Index[slots[e]] else { continue }
            let k = table[node]
            if k == -2 { known[e] = true } else if k >= 0 { states[e] = memo.level2States[Int(k)]; known[e] = true }
        }
    }

    /// The level-1 sources (kept nodes the transmitter sees) within Chebyshev distance `radius` of (col, row), with
    /// their distance from the transmitter [m].
    func level1Sources(around col: Int, _ row: Int, radius: Int) -> [(col: Int, row: Int, length: Double)] {
        var sources: [(col: Int, row: Int, length: Double)] = []
        nodesAround(col, row, radius: radius) { c, r, i in
            guard nodeClass(i, c, r) == 2 else { return }
            let ax = Double(c - s.txCol), ay = Double(r - s.txRow)
            sources.append((c, r, sv.cellSize * (ax * ax + ay * ay).squareRoot()))
        }
        return sources
    }

    /// The paths transmitter → source → (col, row) through the sources within Chebyshev distance `radius` of
    /// (col, row) whose horizontal length [m] passes `keep`, by a lower bound of the length (`CornerEntry.sortByLength`).
    func paths(through sources: [(col: Int, row: Int, length: Double)], to col: Int, _ row: Int, within radius: Int,
               keep: (Double) -> Bool) -> [CornerEntry] {
        var list: [CornerEntry] = []
        list.reserveCapacity(sources.count)
        for q in sources where max(abs(q.col - col), abs(q.row - row)) <= radius {
            let bx = Double(col - q.col), by = Double(row - q.row)
            let total = q.length + sv.cellSize * (bx * bx + by * by).squareRoot()
            if keep(total) { list.append(CornerEntry(total: total, col: q.col, row: q.row, node: -1)) }
        }
        CornerEntry.sortByLength(&list)
        return list
    }

    func computeLevel2States(_ col: Int, _ row: Int, sources: [(col: Int, row: Int, length: Double)], wanted: [Bool]) -> [CornerSource?] {
        let count = emitters.count
        let cellSize = sv.cellSize
        let log2of10over20 = log2(10.0) / 20
        let zn = Double(sv.ground[row * sv.columns + col]) + s.hRx
        let dzN = s.zTx - zn
        let radius1 = CornerSearch.radiusCells(level: 1, s)
        let list = paths(through: sources, to: col, row, within: radius1) { $0 <= s.range * (1 + 1e-9) }
        var best = [(key: Double, wi: Int, state: CornerSource)?](repeating: nil, count: count)
        func maxLength(_ e: Int, extra: Double) -> Double {
            guard let bst = best[e] else { return .infinity }
            return exp2((emitters[e].eirp - extra - bst.key + 1e-3) * log2of10over20) / k4[e]
        }
        var open = wanted
        for entry in list {
            // Emitters whose best so far no longer-or-equal candidate can beat are done (the list is sorted).
            var any = false
            for e in 0..<count where open[e] {
                if entry.total > maxLength(e, extra: 0) { open[e] = false } else { any = true }
            }
            guard any else { break }
            let ax = Double(entry.col - s.txCol), ay = Double(entry.row - s.txRow)
            var turnBound: Double?
            var need = false
            for e in 0..<count where open[e] {
                if best[e] == nil { need = true; break }
                if turnBound == nil { turnBound = turnLowerBound(ax, ay, col - entry.col, row - entry.row) }
                if entry.total <= maxLength(e, extra: turnBound!) { need = true; break }
            }
            guard need else { continue }
            let qLength = cellSize * (ax * ax + ay * ay).squareRoot()
            let rq = min(radius1, Int(((s.range - qLength) / cellSize).rounded(.down)))
            guard let (px, py) = nodeLeg(fromColumn: entry.col, row: entry.row, radius: rq, to: col, row) else { continue }
            let dx = col - entry.col, dy = row - entry.row
            let limit = s.range - qLength
            let leg2 = Double(dx &* dx &+ dy &* dy) * cellSize * cellSize
            guard limit > 0 && leg2 <= limit * limit * (1 + 1e-9) else { continue }
            let total = qLength + cellSize * Double(dx * dx + dy * dy).squareRoot()
            guard total <= s.range else { continue }
            let turn = s.cornerLoss.lossDB(turnAngleDegrees: fastTurnAngleDegrees(fromX: ax, fromY: ay, toX: Double(px), toY: Double(py)))
            let d3 = (total * total + dzN * dzN).squareRoot()
            let wi = s.windowIndex(column: entry.col, row: entry.row)
            for e in 0..<count where open[e] {
                let q = level1Source(entry.col, entry.row, emitter: e)
                guard emitters[e].withinBudget(key: CornerSearch.level1Key(sv, emitters[e], q)) else { continue }
                let base = FreeSpace.pathLossDB(distanceMeters: max(d3, 1), frequencyHz: emitters[e].frequency) + q.turnLoss + turn
                let key = emitters[e].eirp + q.gainDelta - base
                if best[e] == nil || key > best[e]!.key || (key == best[e]!.key && wi < best[e]!.wi) {
                    best[e] = (key, wi, CornerSource(column: col, row: row, length: total, turnLoss: q.turnLoss + turn,
                                                     inX: Double(px), inY: Double(py), gainDelta: q.gainDelta, id: -1))
                }
            }
        }
        // A state beyond the power budget does not reach the node (CornerSearch.sweep); the best is the highest key.
        return (0..<count).map { e in best[e].flatMap { emitters[e].withinBudget(key: $0.key) ? $0.state : nil } }
    }
}

extension NodeIndex {
    /// An index without nodes (for runs without corner paths).
    static func empty(rows: Int) -> NodeIndex { NodeIndex(rowStart: [Int](repeating: 0, count: rows + 1), columns: []) }
}


/// Corner legs (`PointEvaluator.leg`) shared between the spots of one `links(from:to:)` call (they evaluate the same
/// target, and the nodes near it are the sources of their corner paths, so the same legs come up spot after spot):
/// * `toTarget`: legs to the target, keyed by (source column, row, radius), for one target at a time (`prepare`
///   starts over for another);
/// * `toNode`: legs from a level-1 source to a level-2 node (`computeLevel2States`, target −1), keyed by (source,
///   node offset, radius); these do not depend on the target, so they are kept (at most `maxNodeLegs`, then the
///   table starts over).
/// Used by one worker at a time; a kept leg is the walked one, so it never changes a result.
final class LegMemo: @unchecked Sendable {
    private var target = (column: -1, row: -1, building: Int32(-2))
    let toTarget = LegTable(), toNode = LegTable()
    static let maxNodeLegs = 1 << 18

    /// The key of a leg to the target (never 0), nil when the numbers do not fit (then the leg is not kept).
    @inline(__always) static func key(column: Int, row: Int, radius: Int) -> UInt64? {
        guard column >= 0, row >= 0, radius >= 0, column < 1 << 21, row < 1 << 21, radius < 1 << 21 else { return nil }
        return 1 << 63 | UInt64(column) << 42 | UInt64(row) << 21 | UInt64(radius)
    }

    /// The key of a leg from (column, row) to the node at offset (dx, dy) (never 0), nil when the numbers do not fit.
    @inline(__always) static func key(column: Int, row: Int, dx: Int, dy: Int, radius: Int) -> UInt64? {
        guard column >= 0, row >= 0, column < 1 << 16, row < 1 << 16, abs(dx) < 512, abs(dy) < 512, radius >= 0, radius < 1 << 10
        else { return nil }
        return 1 << 63 | UInt64(column) << 46 | UInt64(row) << 30 | UInt64(dx + 512) << 20 | UInt64(dy + 512) << 10 | UInt64(radius)
    }

    /// Keeps the legs to the target when the target is the one they were walked to, else forgets them.
    @inline(__always) func prepare(column: Int, row: Int, building: Int32) {
        guard target != (column, row, building) else { return }
        target = (column, row, building)
        toTarget.removeAll()
    }
}

/// An open-addressing table from a leg's key (never 0) to its ray (or none).
final class LegTable: @unchecked Sendable {
    private(set) var count = 0
    private var capacity = 0
    private var keys: UnsafeMutablePointer<UInt64>
    /// Per entry: the ray's perimeter offset, `Int32.min` in `px` for "the sweep does not reach the target".
    private var px: UnsafeMutablePointer<Int32>, py: UnsafeMutablePointer<Int32>

    init() {
        keys = .allocate(capacity: 1); px = .allocate(capacity: 1); py = .allocate(capacity: 1)
        allocate(4096)
    }

    deinit { keys.deallocate(); px.deallocate(); py.deallocate() }

    private func allocate(_ n: Int) {
        keys.deallocate(); px.deallocate(); py.deallocate()
        capacity = n; count = 0
        keys = .allocate(capacity: n); keys.initialize(repeating: 0, count: n)
        px = .allocate(capacity: n); py = .allocate(capacity: n)
    }

    func removeAll() {
        if count > 0 { keys.update(repeating: 0, count: capacity); count = 0 }
    }

    @inline(__always) private func slot(_ key: UInt64) -> Int {
        var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & (capacity - 1)
        while keys[i] != 0 && keys[i] != key { i = (i + 1) & (capacity - 1) }
        return i
    }

    /// The kept leg: nil when not kept, .some(nil) when the sweep does not reach the target.
    @inline(__always) func value(_ key: UInt64) -> (px: Int, py: Int)?? {
        let i = slot(key)
        guard keys[i] == key else { return nil }
        return px[i] == Int32.min ? .some(nil) : .some((Int(px[i]), Int(py[i])))
    }

    func store(_ key: UInt64, _ leg: (px: Int, py: Int)?) {
        if 2 * (count + 1) > capacity {
            // Grow, keeping what is there.
            let (oldKeys, oldX, oldY, oldCapacity) = (keys, px, py, capacity)
            keys = .allocate(capacity: 1); px = .allocate(capacity: 1); py = .allocate(capacity: 1)
            allocate(2 * oldCapacity)
            for j in 0..<oldCapacity where oldKeys[j] != 0 {
                let i = slot(oldKeys[j])
                keys[i] = oldKeys[j]; px[i] = oldX[j]; py[i] = oldY[j]; count += 1
            }
            oldKeys.deallocate(); oldX.deallocate(); oldY.deallocate()
        }
        let i = slot(key)
        if keys[i] != key { count += 1 }
        keys[i] = key
        px[i] = leg.map { Int32($0.px) } ?? Int32.min
        py[i] = leg.map { Int32($0.py) } ?? 0
    }
}

/// A corner path candidate (a source or node at `col`, `row`; `node` its `NodeIndex` position where it matters) with the
/// horizontal length `total` [m] of the path through it — after `sortByLength`, a lower bound of it. The searches use
/// `total` only as a bound (to stop or skip; a candidate's own length is computed again from its legs), so a lower
/// bound keeps every skip exact, and the order of candidates of equal bound does not matter: the best candidate is
/// chosen by power, then by source id, whatever the order of the visit.
struct CornerEntry {
    var total: Double
    var col: Int, row: Int, node: Int

    /// Low bits of a length's binary64 pattern that `sortByLength` clears (the entry's position goes there).
    static let positionBits = 24

    /// Sorts by length rounded down to `64 − positionBits` bits of its binary64 pattern (a relative error below
    /// 2^-28) and sets each `total` to that rounded value: one sort of 8-byte integers (the bit patterns of
    /// non-negative doubles order as the doubles; clearing low bits rounds towards zero), then one gather, instead of
    /// a stable sort of 32-byte entries by (length, row, column).
    static func sortByLength(_ list: inout [CornerEntry]) {
        let n = list.count
        guard n > 1 else { return }
        precondition(n < 1 << positionBits)
        let mask = ~(UInt64(1) << positionBits - 1)
        var keys = [UInt64](unsafeUninitializedCapacity: n) { keys, initialized in
            list.withUnsafeBufferPointer { entries in
                for i in 0..<n {
                    precondition(entries[i].total >= 0)
                    keys[i] = entries[i].total.bitPattern & mask | UInt64(i)
                }
            }
            initialized = n
        }
        keys.sort()
        list = [CornerEntry](unsafeUninitializedCapacity: n) { sorted, initialized in
            list.withUnsafeBufferPointer { entries in
                for j in 0..<n {
                    var e = entries[Int(truncatingIfNeeded: keys[j] & ~mask)]
                    e.total = Double(bitPattern: keys[j] & mask)
                    (sorted.baseAddress! + j).initialize(to: e)
                }
            }
            initialized = n
        }
    }
}
