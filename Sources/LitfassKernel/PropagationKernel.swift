import Foundation
import LitfassGeo
import LitfassRadio

/// The propagation kernel: received power from a transmitter over the scene raster, by ray casting.
///
/// For every cell within the transmitter's range the kernel finds the paths that exist on the raster
/// (see docs/KERNEL.md):
/// 1. the direct path in the vertical plane — line of sight, or diffraction over the rooftops of the
///    profile (Deygout over the taut string, at most three edges, ITU-R P.526-15);
/// 2. paths around building corners in the horizontal plane (one or two turns, `CornerLossModel`);
/// and keeps the strongest, with the antenna gain towards its first leg. Indoor cells (building index ≥ 0)
/// ignore their own building and add the ITU-R P.2109 building entry loss.
///
/// Complexity of `compute`: O(R²) for the radial sweep (8R rays of R steps, R = range in cells) plus
/// O(S · r²) for the corner search (S corner sources, r = corner search radius in cells); memory is a few
/// arrays of the window (the range box), no full-scene copies. Thread-safe; no global mutable state.
public final class PropagationKernel: Sendable {
    /// The scene the kernel works on.
    public let scene: Scene
    /// The settings of every run.
    public let settings: KernelSettings
    /// Lazily filled state of point links (node index, per-geometry memo); never changes a result.
    let cache = PointLinkCache()

    /// Creates a kernel over a scene; no work is done until `compute` or `link`.
    public init(scene: Scene, settings: KernelSettings = KernelSettings()) {
        self.scene = scene
        self.settings = settings
    }

    /// Received power over every cell within the transmitter's range (a window of the scene grid).
    ///
    /// Cells outside the range circle (and everything when the transmitter is outside the scene) are
    /// not computed: −∞ dBm, +∞ dB, `PathType.none`. Bit-identical for any `settings.threads`.
    /// - Complexity: O(R²) + O(S · r²), see the type.
    public func compute(_ transmitter: Transmitter) -> CoverageWindow {
        RayCastEngine.run(scene: scene, transmitter: transmitter, settings: settings).window
    }

    /// `compute` where only some cells are wanted: cells with `receivers[i] == 0` (grid index, row-major) are walked
    /// through as usual — they block, hold corner nodes and carry paths to other cells — but get no value of their
    /// own (−∞ dBm, +∞ dB, `PathType.none`); every other cell gets exactly `compute`'s value, bit for bit. Saves the
    /// per-cell physics (and the corner candidates) of cells whose values would be thrown away, e.g. outside the
    /// scenario's data area.
    /// - Parameter receivers: one flag per grid cell (`scene.grid.cellCount`).
    public func compute(_ transmitter: Transmitter, receivers: [UInt8]) -> CoverageWindow {
        RayCastEngine.run(scene: scene, transmitter: transmitter, settings: settings, receivers: receivers).window
    }

    /// The least building entry loss an indoor link at this frequency can carry [dB]: the ITU-R P.2109 loss (the
    /// kernel's probability and building class) at 0° elevation, where it is smallest (L_e = 0.212 |θ| grows with the
    /// elevation, P.2109 eq. (3)); every indoor link adds at least this (the corner search uses it as its own bound).
    public func minimumEntryLossDB(frequencyHz: Double) -> Double {
        cache.entryLossTable(frequencyHz: frequencyHz, settings: settings)[0]
    }

    /// One link to a point, with the same physics as `compute` (the map's value at the cell holding the point).
    ///
    /// Evaluates only what can reach that cell (docs/KERNEL.md, "Point links"): the cell's owner ray of the
    /// radial sweep for the direct path, and for corner paths the corner nodes within the corner search radius
    /// of the cell, each with the corner search's own visibility, reach and tie-break rules — the result is the
    /// value `compute` writes there.
    ///
    /// - Parameters:
    ///   - transmitter: the transmitter.
    ///   - point: the receiver position [m, scene CRS]; evaluated at the centre of its cell.
    ///   - receiverHeightMeters: receiver height above ground [m] (default: the settings').
    ///   - indoor: also treat a receiver on an outdoor cell as indoor (adds the P.2109 entry loss at the
    ///     elevation of the direct line). Receivers on building cells are always indoor, as in `compute`.
    /// - Returns: the dominant path's loss, `antennaGainDB` relative to the pattern maximum (so
    ///   `receivedPowerDBm = eirp + antennaGainDB − pathLossDB`), and the buildings blocking the direct path.
    /// - Complexity: O(R) for the direct path (R = distance in cells) plus, for cells without line of sight,
    ///   the nodes within the corner search radius that exact power bounds do not rule out (each one walk of at
    ///   most R + r cells). The first call on a kernel also indexes the scene's corner nodes (one pass over the
    ///   scene); what depends only on a transmitter's geometry is cached (thread-safe, never changes a result).
    public func link(_ transmitter: Transmitter, to point: MapPoint, receiverHeightMeters: Double? = nil,
                     indoor: Bool = false) -> LinkResult {
        link(transmitter, to: point, receiverHeightMeters: receiverHeightMeters, indoor: indoor, memo: Self.linkMemo)
    }

    /// Links from many transmitters to one point (e.g. every sector of a plan at an address), each the value `link`
    /// gives, evaluated on `settings.threads` workers (0 = one per core); the results do not depend on the number
    /// of workers. Uses the scope's `linkMemo` like `link`. Two kinds of sharing make this much cheaper than one
    /// `link` per transmitter:
    /// * transmitters that differ only in id and EIRP (`TransmitterGroups`) are evaluated once: each gets its
    ///   group representative's link with the received power shifted by the EIRP difference — as `CoverageRun`
    ///   merges the maps;
    /// * transmitters on the same spot (position, antenna height and range: the same window and rays) are
    ///   evaluated together: one walk of the profile and one corner search whose geometry serves all of them, with
    ///   losses, gains and the choice of path per transmitter (the same values as one evaluation each).
    public func links(from transmitters: [Transmitter], to point: MapPoint, receiverHeightMeters: Double? = nil,
                      indoor: Bool = false) -> [LinkResult] {
        let memo = Self.linkMemo
        var s = settings
        if let h = receiverHeightMeters { s.receiverHeightMeters = h }
        let asked = Self.linkThreads ?? settings.threads
        let threads = asked > 0 ? asked : RunSetup.processorCount
        let groups = TransmitterGroups(transmitters)
        let representatives = groups.members.map { transmitters[$0[0]] }
        var byRepresentative = [LinkResult?](repeating: nil, count: representatives.count)
        // Representatives not in the memo, by spot.
        var spotOf: [SpotKey: Int] = [:]
        var spots: [[Int]] = []
        for (g, t) in representatives.enumerated() {
            if let memo, let hit = memo.value(LinkMemo.Key(kernel: ObjectIdentifier(self), transmitter: t, point: point,
                                                           receiverHeight: s.receiverHeightMeters, indoor: indoor)) {
                byRepresentative[g] = hit
                continue
            }
            let key = SpotKey(t)
            if let k = spotOf[key] { spots[k].append(g) } else { spotOf[key] = spots.count; spots.append([g]) }
        }
        let slots = UnsafeMutablePointer<[LinkResult]>.allocate(capacity: max(1, spots.count))
        defer { slots.deallocate() }
        let shared = SharedPointer(slots)
        let spotList = spots, spotSettings = s
        // Spots are taken in an order that starts at a place depending on the point, so that concurrent calls (a batch
        // of addresses) rarely wait for the same spot's memo; the results do not depend on the order.
        let start = spots.isEmpty ? 0 : Int(truncatingIfNeeded: (point.x.bitPattern ^ point.y.bitPattern) % UInt64(spots.count))
        // Per worker, the corner legs to the point that its spots have walked (the same nodes serve many spots).
        let legMemos = (0..<max(1, min(threads, spots.count))).map { _ in LegMemo() }
        parallelChunks(spots.count, threads: threads) { worker, chunk in
            let k = (chunk + start) % spotList.count
            (shared.pointer + k).initialize(to: self.pointLinks(spotList[k].map { representatives[$0] }, to: [point],
                                                                settings: spotSettings, indoor: indoor, legs: legMemos[worker])[0])
        }
        for (k, spot) in spots.enumerated() {
            for (j, g) in spot.enumerated() {
                byRepresentative[g] = slots[k][j]
                memo?.store(LinkMemo.Key(kernel: ObjectIdentifier(self), transmitter: representatives[g], point: point,
                                         receiverHeight: s.receiverHeightMeters, indoor: indoor), slots[k][j])
            }
        }
        slots.deinitialize(count: spots.count)
        var results = [LinkResult?](repeating: nil, count: transmitters.count)
        for (g, members) in groups.members.enumerated() {
            for i in members {
                var r = byRepresentative[g]!
                r.receivedPowerDBm += groups.eirpShiftDB[i]
                results[i] = r
                if i != members[0] {
                    memo?.store(LinkMemo.Key(kernel: ObjectIdentifier(self), transmitter: transmitters[i], point: point,
                                             receiverHeight: s.receiverHeightMeters, indoor: indoor), r)
                }
            }
        }
        return results.map { $0! }
    }

    func link(_ transmitter: Transmitter, to point: MapPoint, receiverHeightMeters: Double?, indoor: Bool, memo: LinkMemo?) -> LinkResult {
        var s = settings
        if let h = receiverHeightMeters { s.receiverHeightMeters = h }
        guard let memo else { return pointLinks([transmitter], to: [point], settings: s, indoor: indoor)[0][0] }
        let key = LinkMemo.Key(kernel: ObjectIdentifier(self), transmitter: transmitter, point: point,
                               receiverHeight: s.receiverHeightMeters, indoor: indoor)
        if let hit = memo.value(key) { return hit }
        let result = pointLinks([transmitter], to: [point], settings: s, indoor: indoor)[0][0]
        memo.store(key, result)
        return result
    }

    /// A memo of `link` results for the duration of a scope (e.g. one address query, which asks again for links it
    /// has computed: the serving sector's, the live sectors' for the candidate column): set it with
    /// `PropagationKernel.$linkMemo.withValue`.
    /// Inside the scope, a transmitter is identified by its id, position, height, frequency, EIRP, azimuth,
    /// downtilt, range and its pattern's name and maximum gain — the caller must not give two different
    /// patterns the same id and name inside one scope. Outside a scope (the default) nothing is memoised.
    @TaskLocal public static var linkMemo: LinkMemo?

    /// Workers for `links(from:to:)` inside a scope (nil, the default: `settings.threads`). A server answering many
    /// requests at once sets 1: each answer on its own thread, the requests spread over the cores. The results do not
    /// depend on it.
    @TaskLocal public static var linkThreads: Int?

    /// Many links from one transmitter (e.g. the addresses of a street); the same results as calling `link`
    /// per point. Up to `bulkThreshold` points are evaluated one by one as `link` does; more share one
    /// `compute` over the window and read it.
    /// - Complexity: min(points × point cost, one `compute` + O(R) per point).
    public func links(_ transmitter: Transmitter, to points: [MapPoint], receiverHeightMeters: Double? = nil,
                      indoor: Bool = false) -> [LinkResult] {
        var s = settings
        if let h = receiverHeightMeters { s.receiverHeightMeters = h }
        if points.count < Self.bulkThreshold { return pointLinks([transmitter], to: points, settings: s, indoor: indoor).map { $0[0] } }
        return windowLinks(transmitter, to: points, settings: s, indoor: indoor)
    }

    /// From this many points on, `links` computes the whole window once instead of evaluating each point.
    public static let bulkThreshold = 2048

    /// Point evaluation (`PointEvaluator`) per point, for transmitters on one spot (`SpotKey`): per point, one
    /// result per transmitter.
    func pointLinks(_ transmitters: [Transmitter], to points: [MapPoint], settings s: KernelSettings, indoor: Bool,
                    legs: LegMemo? = nil) -> [[LinkResult]] {
        let grid = scene.grid
        let setups = transmitters.map {
            RunSetup(scene: scene, transmitter: $0, settings: s, belTable: cache.entryLossTable(frequencyHz: $0.frequencyHz, settings: s))
        }
        return scene.groundHeightMeters.withUnsafeBufferPointer { g in
        scene.buildingHeightMeters.withUnsafeBufferPointer { h in
        scene.buildingIndex.withUnsafeBufferPointer { b in
            let sv = SceneView(ground: g.baseAddress!, height: h.baseAddress!, index: b.baseAddress!,
                               columns: grid.columns, rows: grid.rows, cellSize: grid.cellSizeMeters)
            var pool: (nodes: NodeIndex, memos: GeometryMemoPool, ground: (min: Double, max: Double))?
            return points.map { point in
                let none = transmitters.map { t in
                    LinkResult(receivedPowerDBm: -.infinity, pathLossDB: .infinity, antennaGainDB: 0, pathType: .none,
                               distanceMeters: point.distance(to: t.position), blockingBuildings: [], buildingEntryLossDB: 0)
                }
                guard let setup = setups[0], let (col, row) = grid.cell(containing: point), setup.inWindow(column: col, row: row)
                else { return none }
                if pool == nil {
                    let nodes = s.model == .rayCast && setup.cornerTurns > 0
                        ? cache.nodeIndex(sv, threads: setup.threads) : NodeIndex.empty(rows: grid.rows)
                    let key = GeometryKey(txCol: setup.txCol, txRow: setup.txRow, c0: setup.c0, r0: setup.r0,
                                          columns: setup.columns, rows: setup.rows, rangeBits: setup.range.bitPattern,
                                          cornerRadiusCells: setup.cornerRadiusCells)
                    pool = (nodes, cache.memo(key, nodeCount: nodes.columns.count), cache.groundRange(sv))
                }
                let memo = pool!.memos.acquire()
                let values = PointEvaluator(sv, setups.map { $0! }, nodes: pool!.nodes, memo: memo, groundRange: pool!.ground, legs: legs)
                    .evaluate(column: col, row: row)
                memo.lock.unlock()
                guard let values else { return none }
                let gi = row * grid.columns + col
                let zr = Double(scene.groundHeightMeters[gi]) + s.receiverHeightMeters
                let blocking = blockingBuildings(setup: setup, col: col, row: row, zr: zr)
                return zip(transmitters, zip(setups, values)).map { t, sv in
                    let (es, v) = (sv.0!, sv.1)
                    var loss = Double(v.loss), powerDBm = Double(v.power)
                    var bel = v.entryLoss
                    if scene.buildingIndex[gi] < 0 && indoor {
                        let dx = Double(col - es.txCol) * grid.cellSizeMeters, dy = Double(row - es.txRow) * grid.cellSizeMeters
                        let d2 = (dx * dx + dy * dy).squareRoot()
                        bel = es.buildingEntryLoss(elevationDeg: elevationDegrees(es.zTx - zr, max(d2, 1)))
                        loss += bel
                        powerDBm -= bel
                    }
                    return LinkResult(receivedPowerDBm: powerDBm, pathLossDB: loss, antennaGainDB: powerDBm - t.eirpDBm + loss,
                                      pathType: v.type, distanceMeters: Double(v.distance), blockingBuildings: blocking,
                                      buildingEntryLossDB: bel)
                }
            }
        }}}
    }

    /// One `compute` over the window, then each point read from it.
    func windowLinks(_ transmitter: Transmitter, to points: [MapPoint], settings s: KernelSettings, indoor: Bool) -> [LinkResult] {
        let grid = scene.grid
        let setup = RunSetup(scene: scene, transmitter: transmitter, settings: s)
        let result = setup == nil ? nil : RayCastEngine.run(scene: scene, transmitter: transmitter, settings: s, keepDistance: true)
        return points.map { point in
            let none = LinkResult(receivedPowerDBm: -.infinity, pathLossDB: .infinity, antennaGainDB: 0, pathType: .none,
                                  distanceMeters: point.distance(to: transmitter.position), blockingBuildings: [],
                                  buildingEntryLossDB: 0)
            guard let setup, let result, let (col, row) = grid.cell(containing: point),
                  setup.inWindow(column: col, row: row) else { return none }
            let wi = setup.windowIndex(column: col, row: row)
            guard result.flags[wi] & CellFlag.computed != 0 else { return none }
            var loss = Double(result.window.pathLossDB[wi])
            var powerDBm = Double(result.window.receivedPowerDBm[wi])
            let type = PathType(rawValue: result.window.pathType[wi]) ?? .none
            let gi = row * grid.columns + col
            let zr = Double(scene.groundHeightMeters[gi]) + s.receiverHeightMeters
            let dx = Double(col - setup.txCol) * grid.cellSizeMeters, dy = Double(row - setup.txRow) * grid.cellSizeMeters
            let d2 = (dx * dx + dy * dy).squareRoot()
            var bel = 0.0
            if scene.buildingIndex[gi] >= 0 {
                // The entry loss compute included (same table, arrival elevation of the chosen path).
                bel = entryLossIncluded(setup: setup, type: type, col: col, row: row, zr: zr, distance: Double(result.distance[wi]))
            } else if indoor {
                bel = setup.buildingEntryLoss(elevationDeg: elevationDegrees(setup.zTx - zr, max(d2, 1)))
                loss += bel
                powerDBm -= bel
            }
            return LinkResult(receivedPowerDBm: powerDBm, pathLossDB: loss, antennaGainDB: powerDBm - transmitter.eirpDBm + loss,
                              pathType: type, distanceMeters: Double(result.distance[wi]),
                              blockingBuildings: blockingBuildings(setup: setup, col: col, row: row, zr: zr),
                              buildingEntryLossDB: bel)
        }
    }

    /// Buildings whose cells rise above the straight line transmitter → receiver on the cell's owner ray.
    func blockingBuildings(setup s: RunSetup, col: Int, row: Int, zr: Double) -> [Int32] {
        let dx = col - s.txCol, dy = row - s.txRow
        let k = max(abs(dx), abs(dy))
        guard k >= 1 else { return [] }
        let grid = scene.grid
        let (px, py, r) = s.rays.owner(dx: dx, dy: dy)
        let stepLen = RayGeometry.stepLength(px: px, py: py, radius: r, cellSize: grid.cellSizeMeters)
        let target = scene.buildingIndex[row * grid.columns + col]
        var samples: [(z: Double, s: Double, b: Int32)] = []
        var run = RunTracker()
        var ownStart = 0
        for i in 1..<k {
            let (ox, oy) = RayGeometry.step(i, px: px, py: py, radius: r)
            let gi = (s.txRow + oy) * grid.columns + s.txCol + ox
            let b = scene.buildingIndex[gi]
            if run.add(b) { ownStart = samples.count }
            samples.append((Double(scene.groundHeightMeters[gi]) + Double(scene.buildingHeightMeters[gi]), Double(i) * stepLen, b))
        }
        if run.inOwnRun(target: target) { samples.removeSubrange(ownStart...) }
        let sR = grid.cellSizeMeters * Double(dx * dx + dy * dy).squareRoot()
        var result: [Int32] = []
        for p in samples where p.b >= 0 && p.z > s.zTx + (zr - s.zTx) * p.s / sR && !result.contains(p.b) {
            result.append(p.b)
        }
        return result
    }

    /// The P.2109 loss `compute` included for an indoor cell, from the chosen path's arrival elevation.
    func entryLossIncluded(setup s: RunSetup, type: PathType, col: Int, row: Int, zr: Double, distance: Double) -> Double {
        let dx = col - s.txCol, dy = row - s.txRow
        if type == .aroundCorners {
            // Corner paths arrive at the elevation of the whole path (3-D length kept in `distance`).
            let dz = abs(s.zTx - zr)
            let horizontal = max(distance * distance - dz * dz, 0).squareRoot()
            return s.buildingEntryLoss(elevationDeg: elevationDegrees(dz, horizontal))
        }
        let k = max(abs(dx), abs(dy))
        guard k >= 1 else { return s.buildingEntryLoss(elevationDeg: 90) }
        let grid = scene.grid
        let (px, py, r) = s.rays.owner(dx: dx, dy: dy)
        let stepLen = RayGeometry.stepLength(px: px, py: py, radius: r, cellSize: grid.cellSizeMeters)
        var pts: [(s: Double, z: Double)] = [(0, s.zTx)]
        var snapshot = pts
        var run = RunTracker()
        for i in 1..<k {
            let (ox, oy) = RayGeometry.step(i, px: px, py: py, radius: r)
            let gi = (s.txRow + oy) * grid.columns + s.txCol + ox
            if run.add(scene.buildingIndex[gi]) { snapshot = pts }
            pts.append((Double(i) * stepLen, Double(scene.groundHeightMeters[gi]) + Double(scene.buildingHeightMeters[gi])))
        }
        if run.inOwnRun(target: scene.buildingIndex[row * grid.columns + col]) { pts = snapshot }
        let sR = grid.cellSizeMeters * Double(dx * dx + dy * dy).squareRoot()
        let hull = ReferenceSolver.tautString(pts, receiver: (sR, zr))
        let last = hull[hull.count - 2]
        let elev = hull.count == 2 ? elevationDegrees(s.zTx - zr, sR) : elevationDegrees(last.z - zr, sR - last.s)
        return s.buildingEntryLoss(elevationDeg: elev)
    }
}

/// Transmitters on the same spot: the same position, antenna height and range give the same window, rays and
/// corner nodes (`PointEvaluator` evaluates them together).
struct SpotKey: Hashable {
    let x: UInt64, y: UInt64, height: UInt64, range: UInt64
    init(_ t: Transmitter) {
        x = t.position.x.bitPattern; y = t.position.y.bitPattern
        height = t.antennaHeightMeters.bitPattern; range = t.maxRangeMeters.bitPattern
    }
}

/// Results of `PropagationKernel.link` kept for one scope (see `PropagationKernel.linkMemo`). Thread-safe.
public final class LinkMemo: @unchecked Sendable {
    struct Key: Hashable {
        let kernel: ObjectIdentifier
        let id: String, patternName: String
        let x, y, height, frequency, eirp, azimuth, downtilt, range, budget, maxGain, pointX, pointY, receiverHeight: UInt64
        let indoor: Bool
        init(kernel: ObjectIdentifier, transmitter t: Transmitter, point: MapPoint, receiverHeight: Double, indoor: Bool) {
            self.kernel = kernel
            id = t.id
            patternName = t.pattern.name
            x = t.position.x.bitPattern; y = t.position.y.bitPattern; height = t.antennaHeightMeters.bitPattern
            frequency = t.frequencyHz.bitPattern; eirp = t.eirpDBm.bitPattern; azimuth = t.azimuthDegrees.bitPattern
            downtilt = t.downtiltDegrees.bitPattern; range = t.maxRangeMeters.bitPattern; budget = t.pathLossBudgetDB.bitPattern
            maxGain = t.pattern.maxGainDBi.bitPattern
            pointX = point.x.bitPattern; pointY = point.y.bitPattern; self.receiverHeight = receiverHeight.bitPattern
            self.indoor = indoor
        }

        /// The numbers only: the id and the pattern's name (strings, slow to hash) are left to equality.
        func hash(into hasher: inout Hasher) {
            hasher.combine(kernel)
            hasher.combine(x); hasher.combine(y); hasher.combine(height); hasher.combine(frequency); hasher.combine(eirp)
            hasher.combine(azimuth); hasher.combine(downtilt); hasher.combine(range); hasher.combine(budget); hasher.combine(maxGain)
            hasher.combine(pointX); hasher.combine(pointY); hasher.combine(receiverHeight)
            hasher.combine(indoor)
        }
    }
    private let lock = NSLock()
    private var results: [Key: LinkResult] = [:]

    /// An empty memo.
    public init() {}

    func value(_ key: Key) -> LinkResult? {
        lock.lock(); defer { lock.unlock() }
        return results[key]
    }

    func store(_ key: Key, _ result: LinkResult) {
        lock.lock(); defer { lock.unlock() }
        results[key] = result
    }
}
