import Foundation
import Testing
import LitfassGeo
import LitfassRadio
import _LitfassTestSupport
@testable import LitfassKernel

/// `link` (the point evaluation) against the window `compute` gives, cell by cell.
@Suite struct PointLinkTests {
    /// Agreement counts of `link` at every computed cell of a window against `compute`.
    struct Agreement: CustomStringConvertible {
        var cells = 0, identical = 0, within01 = 0, within1 = 0, typeMismatch = 0, losMismatch = 0, corner = 0, indoor = 0
        var worst = 0.0
        var description: String {
            "\(cells) cells (\(indoor) indoor, \(corner) around corners): bit-identical \(identical), ≤ 0.1 dB \(within01), ≤ 1 dB \(within1), "
                + "type mismatches \(typeMismatch), LOS mismatches \(losMismatch), worst \(String(format: "%.4f", worst)) dB"
        }
        func check(_ label: String) {
            print("point links \(label): \(self)")
            #expect(cells > 1000, "\(label)")
            #expect(typeMismatch == 0, "\(label): \(self)")
            #expect(losMismatch == 0, "\(label): \(self)")
            #expect(within1 == cells, "\(label): \(self)")
            #expect(Double(within01) >= 0.995 * Double(cells), "\(label): \(self)")
        }
    }

    /// Compares `link` at every cell of the window (cell centres) with `compute`.
    static func compare(_ scene: Scene, _ tx: Transmitter, _ settings: KernelSettings, stride step: Int = 1) -> Agreement {
        let kernel = PropagationKernel(scene: scene, settings: settings)
        let w = kernel.compute(tx)
        var a = Agreement()
        let g = scene.grid
        for y in Swift.stride(from: 0, to: w.rows, by: step) {
            for x in Swift.stride(from: 0, to: w.columns, by: step) {
                let i = y * w.columns + x
                let col = w.columnOffset + x, row = w.rowOffset + y
                let link = kernel.link(tx, to: g.center(column: col, row: row))
                let mapType = PathType(rawValue: w.pathType[i])!
                guard w.receivedPowerDBm[i].isFinite else {
                    if link.pathType != .none { a.typeMismatch += 1 }
                    continue
                }
                a.cells += 1
                if scene.buildingIndex[row * g.columns + col] >= 0 { a.indoor += 1 }
                if mapType == .aroundCorners { a.corner += 1 }
                if link.pathType != mapType { a.typeMismatch += 1 }
                if (link.pathType == .lineOfSight) != (mapType == .lineOfSight) { a.losMismatch += 1 }
                let d = abs(link.receivedPowerDBm - Double(w.receivedPowerDBm[i]))
                let dl = abs(link.pathLossDB - Double(w.pathLossDB[i]))
                if Float(link.receivedPowerDBm) == w.receivedPowerDBm[i] && Float(link.pathLossDB) == w.pathLossDB[i] { a.identical += 1 }
                if max(d, dl) <= 0.1 { a.within01 += 1 }
                if max(d, dl) <= 1 { a.within1 += 1 }
                a.worst = max(a.worst, max(d, dl))
            }
        }
        return a
    }

    @Test(arguments: [(UInt64(1), 5.0, 300.0, 2), (UInt64(2), 5.0, 300.0, 2), (UInt64(3), 25.0, 300.0, 2),
                      (UInt64(4), 3.0, 300.0, 2), (UInt64(5), 5.0, 40.0, 2), (UInt64(6), 5.0, 300.0, 2),
                      (UInt64(7), 3.0, 300.0, 1), (UInt64(8), 5.0, 300.0, 0), (UInt64(9), 3.0, 60.0, 2)])
    func linkEqualsComputeOnEveryCell(seed: UInt64, height: Double, cornerRadius: Double, turns: Int) {
        let b = seed == 6 ? ConsistencyTests.randomScene(seed: seed, size: 90, buildings: 12)
            : ConsistencyTests.randomScene(seed: seed, size: 80, buildings: 28)
        let (c, r) = ConsistencyTests.outdoorCell(b, near: 20 + Int(seed) * 5, 30)
        let tx = transmitter(at: b.point(c, r), height: height, range: seed == 6 ? 130 : 110, pattern: .sector3GPP(),
                             azimuth: Double(seed) * 40, downtilt: 3)
        var settings = KernelSettings()
        settings.cornerSearchRadiusMeters = cornerRadius
        settings.maxCornerTurns = turns
        Self.compare(b.scene, tx, settings).check("seed \(seed) h=\(height) r=\(cornerRadius) turns=\(turns)")
    }

    /// Corner paths with 3, 4 and 6 turns (the deep levels of `link` come from the window's cached node search):
    /// `link` equals `compute` bit for bit on every cell.
    @Test(arguments: [(UInt64(1), 5.0, 300.0, 3), (UInt64(4), 3.0, 300.0, 4), (UInt64(9), 3.0, 60.0, 6),
                      (UInt64(2), 5.0, 300.0, 6), (UInt64(5), 5.0, 40.0, 4)])
    func linkEqualsComputeOnEveryCellWithMoreTurns(seed: UInt64, height: Double, cornerRadius: Double, turns: Int) {
        let b = ConsistencyTests.randomScene(seed: seed, size: 80, buildings: 28)
        let (c, r) = ConsistencyTests.outdoorCell(b, near: 20 + Int(seed) * 5, 30)
        let tx = transmitter(at: b.point(c, r), height: height, range: 110, pattern: .sector3GPP(),
                             azimuth: Double(seed) * 40, downtilt: 3)
        var settings = KernelSettings()
        settings.cornerSearchRadiusMeters = cornerRadius
        settings.maxCornerTurns = turns
        let a = Self.compare(b.scene, tx, settings)
        a.check("seed \(seed) h=\(height) r=\(cornerRadius) turns=\(turns)")
        #expect(a.identical == a.cells, "\(a)")
        #expect(a.corner > 100, "\(a)")
    }

    @Test(arguments: [2, 3, 4, 6])
    func linkEqualsComputeOnACityGridWithTurns(turns: Int) {
        var b = SceneBuilder(columns: 120, rows: 120)
        b.cityBlocks(seed: 7)
        let (c, r) = ConsistencyTests.outdoorCell(b, near: 60, 60)
        let tx = transmitter(at: b.point(c, r), height: 5, range: 200, pattern: .sector3GPP(), azimuth: 120, downtilt: 2)
        var settings = KernelSettings()
        settings.cornerSearchRadiusMeters = 50
        settings.maxCornerTurns = turns
        let a = Self.compare(b.scene, tx, settings)
        a.check("city blocks, turns \(turns)")
        #expect(a.identical == a.cells, "\(a)")
        #expect(a.corner > 500, "\(a)")
    }

    @Test func linkEqualsComputeOnACityGridAtAnUpperFloor() {
        // Street grid: blocks of 12 × 12 cells, streets 4 cells wide, so corner paths of one and two turns abound.
        var b = SceneBuilder(columns: 120, rows: 120)
        var id: Int32 = 0
        for by in Swift.stride(from: 4, to: 116, by: 16) {
            for bx in Swift.stride(from: 4, to: 116, by: 16) {
                b.building(columns: bx...(bx + 11), rows: by...(by + 11), height: Float(9 + (id % 5) * 3), id: id); id += 1
            }
        }
        let tx = transmitter(at: b.point(58, 18), height: 5, range: 200, pattern: .sector3GPP(), azimuth: 180, downtilt: 2)
        var settings = KernelSettings(receiverHeightMeters: 4.5)
        settings.cornerSearchRadiusMeters = 120
        let a = Self.compare(b.scene, tx, settings)
        a.check("city grid, receiver 4.5 m")
        #expect(a.corner > 500)
    }

    /// Co-located transmitters (one spot: several azimuths, bands, patterns and EIRPs) evaluated together by
    /// `links(from:to:)` give, per transmitter, the value its own `compute` writes at the cell; transmitters that
    /// differ only in EIRP get the same loss and path with the power shifted by the EIRP difference.
    @Test(arguments: [(UInt64(51), 5.0, false), (UInt64(52), 22.0, false), (UInt64(53), 5.0, true)])
    func coLocatedTransmittersTogetherEqualComputeOneByOne(seed: UInt64, height: Double, indoor: Bool) {
        let b = ConsistencyTests.randomScene(seed: seed, size: 80, buildings: 28)
        let (c, r) = ConsistencyTests.outdoorCell(b, near: 40, 40)
        var txs: [Transmitter] = []
        for (k, azimuth) in [10.0, 130.0, 250.0].enumerated() {
            for f in [3.6e9, 0.806e9] {
                var t = transmitter(at: b.point(c, r), height: height, range: 110, pattern: .sector3GPP(), azimuth: azimuth,
                                    downtilt: Double(2 + k), frequencyHz: f)
                t.id = "sector \(k) \(f)"
                txs.append(t)
            }
        }
        var omni = transmitter(at: b.point(c, r), height: height, range: 110, frequencyHz: 1.8425e9)
        omni.eirpDBm = 31
        txs.append(omni)
        var taller = txs[0]                // another spot in the same cell (its own antenna height)
        taller.id = "taller"
        taller.antennaHeightMeters += 3
        txs.append(taller)
        var twin = txs[0]                  // another operator's identical antenna, 3.5 dB weaker
        twin.id = "twin"
        twin.eirpDBm -= 3.5
        txs.append(twin)
        var settings = KernelSettings()
        settings.cornerSearchRadiusMeters = 100
        let kernel = PropagationKernel(scene: b.scene, settings: settings)
        let windows = txs.map { kernel.compute($0) }
        let g = b.scene.grid
        // The taller antenna alone on a kernel of its own: what the shared memo of the cell must not change.
        let tallerIndex = txs.count - 2
        let ownKernel = PropagationKernel(scene: b.scene, settings: settings)
        var compared = 0, corner = 0
        for row in Swift.stride(from: 0, to: 80, by: 2) {
            for col in Swift.stride(from: 1, to: 80, by: 2) {
                let point = g.center(column: col, row: row)
                let together = kernel.links(from: txs, to: point, indoor: indoor)
                for (k, w) in windows.enumerated() where value(w, w.receivedPowerDBm, col, row).isFinite {
                    let alone = kernel.link(txs[k], to: point, indoor: indoor)
                    compared += 1
                    if alone.pathType == .aroundCorners { corner += 1 }
                    #expect(together[k].pathType == alone.pathType, "tx \(k) at \(col),\(row)")
                    if k == txs.count - 1 {
                        // The twin: its representative's value shifted (the Float rounding of its own run aside).
                        #expect(abs(together[k].receivedPowerDBm - alone.receivedPowerDBm) <= 1e-4, "twin at \(col),\(row)")
                    } else {
                        #expect(together[k].receivedPowerDBm == alone.receivedPowerDBm && together[k].pathLossDB == alone.pathLossDB
                                && together[k].distanceMeters == alone.distanceMeters, "tx \(k) at \(col),\(row)")
                    }
                    if !indoor || b.scene.buildingIndex[row * g.columns + col] >= 0 {
                        // The map's value (an outdoor cell flagged indoor adds an entry loss the map does not have).
                        let wi = (row - w.rowOffset) * w.columns + (col - w.columnOffset)
                        #expect(alone.pathType.rawValue == w.pathType[wi], "tx \(k) at \(col),\(row)")
                        #expect(abs(Float(alone.receivedPowerDBm) - w.receivedPowerDBm[wi]) <= 1, "tx \(k) at \(col),\(row)")
                    }
                }
                let own = ownKernel.link(txs[tallerIndex], to: point, indoor: indoor)
                #expect(together[tallerIndex].receivedPowerDBm == own.receivedPowerDBm && together[tallerIndex].pathType == own.pathType,
                        "taller at \(col),\(row)")
                let t0 = together[0], twin = together[txs.count - 1]
                if t0.receivedPowerDBm.isFinite {
                    #expect(twin.pathType == t0.pathType && twin.pathLossDB == t0.pathLossDB)
                    #expect(abs(twin.receivedPowerDBm - (t0.receivedPowerDBm - 3.5)) <= 1e-9)
                }
            }
        }
        print("co-located seed \(seed): \(compared) links, \(corner) around corners")
        #expect(compared > 8_000)
        #expect(corner > 100)
    }

    @Test(arguments: [PropagationModel.freeSpace, .uma, .umi, .p1411])
    func empiricalModelsEqualCompute(model: PropagationModel) {
        let b = ConsistencyTests.randomScene(seed: 21, size: 70, buildings: 20)
        let (c, r) = ConsistencyTests.outdoorCell(b, near: 35, 35)
        let tx = transmitter(at: b.point(c, r), height: 25, range: 100)
        Self.compare(b.scene, tx, KernelSettings(model: model)).check("model \(model.rawValue)")
    }

    @Test func indoorFlagAndBulkFormAgree() {
        let b = ConsistencyTests.randomScene(seed: 31, size: 90, buildings: 30)
        let (c, r) = ConsistencyTests.outdoorCell(b, near: 45, 45)
        let tx = transmitter(at: b.point(c, r), height: 5, range: 140, pattern: .sector3GPP(), azimuth: 90, downtilt: 2)
        let kernel = PropagationKernel(scene: b.scene)
        var rng = SeededGenerator(seed: 7)
        let points = (0..<40).map { _ in b.point(Int.random(in: 0..<90, using: &rng), Int.random(in: 0..<90, using: &rng)) }
        // The window path (forced) and the point path give the same links.
        let viaWindow = kernel.windowLinks(tx, to: points, settings: kernel.settings, indoor: true)
        let viaPoints = kernel.links(tx, to: points, indoor: true)
        for (p, (w, l)) in zip(points, zip(viaWindow, viaPoints)) {
            #expect(w.pathType == l.pathType, "\(p)")
            #expect(abs(w.receivedPowerDBm - l.receivedPowerDBm) <= 1e-3 || (w.receivedPowerDBm == l.receivedPowerDBm), "\(p)")
            #expect(abs(w.buildingEntryLossDB - l.buildingEntryLossDB) <= 0.01, "\(p)")
            #expect(w.blockingBuildings == l.blockingBuildings)
        }
    }

    /// With 4 turns the deep levels' cached node search is filled by whichever worker comes first.
    @Test(arguments: [2, 4])
    func pointLinksAreTheSameOnManyThreads(turns: Int) {
        let b = ConsistencyTests.randomScene(seed: 41, size: 100, buildings: 40)
        let (c, r) = ConsistencyTests.outdoorCell(b, near: 50, 50)
        let tx = transmitter(at: b.point(c, r), height: 5, range: 150)
        let points = (0..<200).map { i in b.point((i * 37) % 100, (i * 53) % 100) }
        var settings = KernelSettings()
        settings.maxCornerTurns = turns
        let serial = PropagationKernel(scene: b.scene, settings: settings)
        let expected = points.map { serial.link(tx, to: $0).receivedPowerDBm.bitPattern }
        // A fresh kernel whose cache is filled concurrently, in a scrambled order.
        let shared = PropagationKernel(scene: b.scene, settings: settings)
        let results = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: points.count)
        defer { results.deallocate() }
        let out = SharedPointer(results.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: 4) { w in
            for k in 0..<points.count {
                let i = (k * 7 + w * 50) % points.count
                out.pointer[i] = shared.link(tx, to: points[i]).receivedPowerDBm.bitPattern
            }
        }
        #expect(Array(results) == expected)
    }

    /// `links(from:to:)` over several spots gives the same bits on one worker (`linkThreads` 1, as `litfass serve`
    /// answers), on three, and on the default (one per core), each on a fresh kernel.
    @Test func linksFromManySpotsAreTheSameOnOneOrManyWorkers() {
        let b = ConsistencyTests.randomScene(seed: 43, size: 90, buildings: 32)
        var txs: [Transmitter] = []
        for (k, (x, y)) in [(20, 20), (70, 25), (45, 70), (15, 60)].enumerated() {
            let (c, r) = ConsistencyTests.outdoorCell(b, near: x, y)
            for azimuth in [30.0, 150.0, 270.0] {
                var t = transmitter(at: b.point(c, r), height: 6 + Double(k), range: 120, pattern: .sector3GPP(), azimuth: azimuth,
                                    downtilt: 3, frequencyHz: k % 2 == 0 ? 3.6e9 : 0.806e9)
                t.id = "site \(k) \(azimuth)"
                txs.append(t)
            }
        }
        let points = (0..<120).map { i in b.point((i * 37) % 90, (i * 53) % 90) }
        func bits(_ threads: Int?) -> [[UInt64]] {
            let kernel = PropagationKernel(scene: b.scene)
            return PropagationKernel.$linkThreads.withValue(threads) {
                points.map { p in kernel.links(from: txs, to: p, indoor: true).flatMap { [$0.receivedPowerDBm.bitPattern, $0.pathLossDB.bitPattern] } }
            }
        }
        let one = bits(1)
        #expect(one.joined().contains { Double(bitPattern: $0).isFinite })
        #expect(bits(3) == one)
        #expect(bits(nil) == one)
        // And each the value of its own `link` (no spots evaluated together, no legs shared between spots).
        let single = PropagationKernel(scene: b.scene)
        let alone = points.map { p in txs.flatMap { t in
            let l = single.link(t, to: p, indoor: true)
            return [l.receivedPowerDBm.bitPattern, l.pathLossDB.bitPattern]
        } }
        #expect(alone == one)
    }
}

@Suite struct RaySetIndexTests {
    @Test func indexInvertsRay() {
        for (e, w, so, n) in [(5, 5, 5, 5), (7, 3, 1, 9), (2, 11, 6, 1), (4, 0, 3, 8), (1, 1, 1, 1)] {
            let rays = RaySet(east: e, west: w, south: so, north: n)
            for i in 0..<rays.count {
                let (px, py, r) = rays.ray(i)
                #expect(rays.index(px: px, py: py, radius: r) == i, "\(e) \(w) \(so) \(n): ray \(i)")
            }
        }
    }
}
