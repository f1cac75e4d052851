import Foundation
import LitfassGeo
import LitfassRadio

/// The slow, obviously-correct solver the fast kernel is tested against (internal; tests only).
///
/// Same definitions as the kernel (the owner ray of each cell, the physics), none of its sharing:
/// for every cell a full profile is walked from the transmitter, the line of sight is checked sample by
/// sample, the taut string is built from scratch, and every corner source is checked for every cell by
/// its own walk (exhaustive corner search). O(cells · (R + sources · r)).
enum ReferenceSolver {
    /// The taut string (upper convex hull) from `points[0]` (the transmitter) to the receiver, built from
    /// scratch with Andrew's monotone chain. Returns the vertices including both ends.
    static func tautString(_ points: [(s: Double, z: Double)], receiver: (Double, Double)) -> [(s: Double, z: Double)] {
        var hull: [(s: Double, z: Double)] = []
        for p in points + [(s: receiver.0, z: receiver.1)] {
            while hull.count >= 2 {
                let a = hull[hull.count - 2], b = hull[hull.count - 1]
                if (b.s - a.s) * (p.z - a.z) - (b.z - a.z) * (p.s - a.s) >= 0 { hull.removeLast() } else { break }
            }
            hull.append(p)
        }
        return hull
    }

    /// Walks the owner ray (of `rays`) from (fc, fr) to (tc, tr); returns the samples before the target
    /// and the street-level visibility of the target.
    static func walk(_ scene: Scene, from fc: Int, _ fr: Int, to tc: Int, _ tr: Int, rays: RaySet)
        -> (samples: [(s: Double, z: Double, b: Int32)], ownStart: Int?, visible: Bool, px: Int, py: Int) {
        let g = scene.grid
        let dx = tc - fc, dy = tr - fr
        let k = max(abs(dx), abs(dy))
        let (px, py, r) = rays.owner(dx: dx, dy: dy)
        let stepLen = RayGeometry.stepLength(px: px, py: py, radius: r, cellSize: g.cellSizeMeters)
        var samples: [(s: Double, z: Double, b: Int32)] = []
        var run = RunTracker()
        var start = 0
        for i in 1..<max(k, 1) {
            let (ox, oy) = RayGeometry.step(i, px: px, py: py, radius: r)
            let gi = (fr + oy) * g.columns + fc + ox
            let b = scene.buildingIndex[gi]
            if run.add(b) { start = samples.count }
            samples.append((Double(i) * stepLen, Double(scene.groundHeightMeters[gi]) + Double(scene.buildingHeightMeters[gi]), b))
        }
        let target = scene.buildingIndex[tr * g.columns + tc]
        return (samples, run.inOwnRun(target: target) ? start : nil, run.visible(target: target), px, py)
    }

    static func solve(scene: Scene, transmitter: Transmitter, settings: KernelSettings) -> EngineResult {
        guard let s = RunSetup(scene: scene, transmitter: transmitter, settings: settings) else {
            return EngineResult(window: CoverageWindow(columnOffset: 0, rowOffset: 0, columns: 0, rows: 0,
                                                       receivedPowerDBm: [], pathLossDB: [], pathType: []), flags: [], distance: [])
        }
        let g = scene.grid
        let n = s.columns * s.rows
        var power = [Float](repeating: -.infinity, count: n)
        var loss = [Float](repeating: .infinity, count: n)
        var type = [UInt8](repeating: 0, count: n)
        var flags = [UInt8](repeating: 0, count: n)
        var distance = [Float](repeating: .infinity, count: n)
        let cell = g.cellSizeMeters
        // Direct path, one full profile per cell.
        for row in s.r0..<(s.r0 + s.rows) {
            for col in s.c0..<(s.c0 + s.columns) {
                let dx = col - s.txCol, dy = row - s.txRow
                guard Double(dx * dx + dy * dy) * cell * cell <= s.range * s.range else { continue }
                let wi = s.windowIndex(column: col, row: row)
                let gi = row * g.columns + col
                let b = scene.buildingIndex[gi]
                let zr = Double(scene.groundHeightMeters[gi]) + s.hRx
                if dx == 0 && dy == 0 {
                    let d3 = max(1, abs(s.zTx - zr))
                    var l = s.directModelLoss(los: true, d2: 0, d3: d3) { 0 }
                    let el = zr >= s.zTx ? 90.0 : -90.0
                    if b >= 0 { l += s.buildingEntryLoss(elevationDeg: el) }
                    loss[wi] = Float(l)
                    power[wi] = Float(s.eirp + s.gainDelta(dirColumn: 0, dirRow: -1, elevationDeg: el) - l)
                    type[wi] = PathType.lineOfSight.rawValue
                    flags[wi] = CellFlag.computed | CellFlag.directLOS | CellFlag.visible2D
                    distance[wi] = Float(d3)
                    continue
                }
                let w = walk(scene, from: s.txCol, s.txRow, to: col, row, rays: s.rays)
                let sR = cell * Double(dx * dx + dy * dy).squareRoot()
                var pts: [(s: Double, z: Double)] = [(0, s.zTx)]
                for (i, p) in w.samples.enumerated() where w.ownStart == nil || i < w.ownStart! { pts.append((p.s, p.z)) }
                var los = true
                for p in pts.dropFirst() where p.z > s.zTx + (zr - s.zTx) * p.s / sR { los = false }
                let hull = tautString(pts, receiver: (sR, zr))
                let t = hull.count - 2
                let hs = hull.map(\.s), hz = hull.map(\.z)
                let dz = s.zTx - zr
                let d3 = (sR * sR + dz * dz).squareRoot()
                var l = s.directModelLoss(los: los, d2: sR, d3: d3) {
                    hs.withUnsafeBufferPointer { a in hz.withUnsafeBufferPointer { z in
                        TautStringDiffraction.lossDB(a.baseAddress!, z.baseAddress!, t: t, rS: sR, rZ: zr, lambda: s.lambda)
                    } }
                }
                let elev = los ? elevationDegrees(zr - s.zTx, sR) : elevationDegrees(hz[1] - s.zTx, hs[1])
                if b >= 0 {
                    let arrival = los ? elevationDegrees(dz, sR) : elevationDegrees(hz[t] - zr, sR - hs[t])
                    l += s.buildingEntryLoss(elevationDeg: arrival)
                }
                let az = atan2(Double(w.px), -Double(w.py)) * 180 / Double.pi - s.azimuth
                let gd = s.pattern.gainDBi(azimuthOffDeg: az, elevationDeg: elev, downtiltDeg: s.downtilt) - s.maxGain
                loss[wi] = Float(l)
                power[wi] = Float(s.eirp + gd - l)
                type[wi] = los ? PathType.lineOfSight.rawValue : PathType.overRooftops.rawValue
                distance[wi] = Float(d3)
                flags[wi] = CellFlag.computed | (los ? CellFlag.directLOS : 0) | (w.visible ? CellFlag.visible2D : 0)
            }
        }
        guard s.cornerTurns > 0 else {
            return EngineResult(window: CoverageWindow(columnOffset: s.c0, rowOffset: s.r0, columns: s.columns, rows: s.rows,
                                                       receivedPowerDBm: power, pathLossDB: loss, pathType: type),
                                flags: flags, distance: distance)
        }
        // Corner sources, exhaustively.
        var nodes: [(col: Int, row: Int, wi: Int)] = []
        var sources: [CornerSource] = []
        scene.groundHeightMeters.withUnsafeBufferPointer { gp in
        scene.buildingHeightMeters.withUnsafeBufferPointer { hp in
        scene.buildingIndex.withUnsafeBufferPointer { bp in
            let sv = SceneView(ground: gp.baseAddress!, height: hp.baseAddress!, index: bp.baseAddress!,
                               columns: g.columns, rows: g.rows, cellSize: cell)
            let found = flags.withUnsafeBufferPointer { CornerSearch.detectNodes(sv, s, flags: $0.baseAddress!) }
            for wi in found { nodes.append((s.c0 + wi % s.columns, s.r0 + wi / s.columns, wi)) }
        }}}
        func zr(_ col: Int, _ row: Int) -> Double { Double(scene.groundHeightMeters[row * g.columns + col]) + s.hRx }
        for nd in nodes where flags[nd.wi] & CellFlag.visible2D != 0 && !(nd.col == s.txCol && nd.row == s.txRow) {
            let dx = Double(nd.col - s.txCol), dy = Double(nd.row - s.txRow)
            let l = cell * (dx * dx + dy * dy).squareRoot()
            let gd = s.gainDelta(dirColumn: dx, dirRow: dy, elevationDeg: elevationDegrees(zr(nd.col, nd.row) - s.zTx, l))
            // Within the power budget: eirp + gain − FSPL(3-D length to the node at receiver height).
            let dz = s.zTx - zr(nd.col, nd.row)
            let key = s.eirp + gd - FreeSpace.pathLossDB(distanceMeters: max((l * l + dz * dz).squareRoot(), 1), frequencyHz: s.frequency)
            guard s.withinBudget(key: key) else { continue }
            sources.append(CornerSource(column: nd.col, row: nd.row, length: l, turnLoss: 0, inX: dx, inY: dy,
                                        gainDelta: gd, id: Int32(sources.count)))
        }
        /// The level of each source (1: the transmitter sees it; L + 1: reached or improved by a level-L source).
        var sourceLevel = [Int](repeating: 1, count: sources.count)
        /// The candidate from source q to (col, row), or nil when q does not reach it.
        func reach(_ q: CornerSource, _ col: Int, _ row: Int) -> (base: Double, total: Double, d3: Double, turn: Double, px: Int, py: Int)? {
            let rq = min(CornerSearch.radiusCells(level: sourceLevel[Int(q.id)], s), Int(((s.range - q.length) / cell).rounded(.down)))
            let dx = col - q.column, dy = row - q.row
            let k = max(abs(dx), abs(dy))
            guard rq >= 1, k >= 1, k <= rq else { return nil }
            let w = walk(scene, from: q.column, q.row, to: col, row, rays: RaySet(square: rq))
            guard w.visible else { return nil }
            let total = q.length + cell * Double(dx * dx + dy * dy).squareRoot()
            guard total <= s.range else { return nil }
            let turn = s.cornerLoss.lossDB(turnAngleDegrees: fastTurnAngleDegrees(
                fromX: q.inX, fromY: q.inY, toX: Double(w.px), toY: Double(w.py)))
            let dz = s.zTx - zr(col, row)
            let d3 = (total * total + dz * dz).squareRoot()
            return (FreeSpace.pathLossDB(distanceMeters: max(d3, 1), frequencyHz: s.frequency) + q.turnLoss + turn,
                    total, d3, turn, w.px, w.py)
        }
        // Label-correcting by turns: a node the transmitter does not see becomes a level-(L + 1) source with its best
        // state over the level-L sources that reach it within the power budget, when that state's key beats the best
        // key of every earlier level at the node by more than `CornerSearch.improvementMarginDB`. Level-1 sources beyond
        // the budget were left out above.
        var bestKey: [Int: Double] = [:]
        var frontier = 0..<sources.count
        if s.cornerTurns >= 2 {
            for level in 2...s.cornerTurns {
                let start = sources.count
                for nd in nodes where flags[nd.wi] & CellFlag.visible2D == 0 {
                    var best: (key: Double, state: CornerSource)? = nil
                    for q in sources[frontier] {
                        guard let r = reach(q, nd.col, nd.row) else { continue }
                        let key = s.eirp + q.gainDelta - r.base
                        guard s.withinBudget(key: key) else { continue }     // beyond the budget: does not reach it
                        if best == nil || key > best!.key {
                            best = (key, CornerSource(column: nd.col, row: nd.row, length: r.total, turnLoss: q.turnLoss + r.turn,
                                                      inX: Double(r.px), inY: Double(r.py), gainDelta: q.gainDelta, id: -1))
                        }
                    }
                    if let best, best.key > bestKey[nd.wi, default: -.infinity] + CornerSearch.improvementMarginDB {
                        var st = best.state
                        st.id = Int32(sources.count); sources.append(st); sourceLevel.append(level)
                        bestKey[nd.wi] = best.key
                    }
                }
                frontier = start..<sources.count
                if frontier.isEmpty { break }
            }
        }
        for row in s.r0..<(s.r0 + s.rows) {
            for col in s.c0..<(s.c0 + s.columns) {
                let wi = s.windowIndex(column: col, row: row)
                guard flags[wi] & CellFlag.computed != 0, flags[wi] & CellFlag.directLOS == 0 else { continue }
                let b = scene.buildingIndex[row * g.columns + col]
                var best: (p: Double, l: Double, d: Double)? = nil
                for q in sources {
                    guard let r = reach(q, col, row) else { continue }
                    var l = r.base
                    if b >= 0 { l += s.buildingEntryLoss(elevationDeg: elevationDegrees(abs(s.zTx - zr(col, row)), r.total)) }
                    let p = Double(Float(s.eirp + q.gainDelta - l))
                    if best == nil || p > best!.p { best = (p, l, r.d3) }
                }
                if let best, Float(best.p) > power[wi] {
                    power[wi] = Float(best.p); loss[wi] = Float(best.l); distance[wi] = Float(best.d)
                    type[wi] = PathType.aroundCorners.rawValue
                }
            }
        }
        return EngineResult(window: CoverageWindow(columnOffset: s.c0, rowOffset: s.r0, columns: s.columns, rows: s.rows,
                                                   receivedPowerDBm: power, pathLossDB: loss, pathType: type),
                            flags: flags, distance: distance)
    }
}
