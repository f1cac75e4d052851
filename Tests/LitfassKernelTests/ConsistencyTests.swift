import Foundation
import Testing
import LitfassGeo
import LitfassRadio
import _LitfassTestSupport
@testable import LitfassKernel

/// The fast kernel against the reference solver, thread counts, link against compute, gdal_viewshed.
@Suite struct ConsistencyTests {
    static func randomScene(seed: UInt64, size: Int = 60, buildings: Int = 14) -> SceneBuilder {
        var b = SceneBuilder(columns: size, rows: size)
        b.randomBuildings(count: buildings, seed: seed, maxSize: max(4, size / 7))
        // Gentle terrain so ground heights matter too.
        for row in 0..<size { for col in 0..<size { b.ground[row * size + col] = Float(col) * 0.05 + Float(row % 7) * 0.02 } }
        return b
    }

    /// An outdoor cell near the given one.
    static func outdoorCell(_ b: SceneBuilder, near c: Int, _ r: Int) -> (Int, Int) {
        for radius in 0..<b.grid.columns {
            for dr in -radius...radius { for dc in -radius...radius {
                let cc = c + dc, rr = r + dr
                if cc >= 0, rr >= 0, cc < b.grid.columns, rr < b.grid.rows, b.index[rr * b.grid.columns + cc] < 0 { return (cc, rr) }
            } }
        }
        return (c, r)
    }

    @Test(arguments: [(UInt64(1), 5.0, 300.0), (UInt64(2), 5.0, 300.0), (UInt64(3), 25.0, 300.0), (UInt64(4), 3.0, 300.0),
                      (UInt64(5), 5.0, 40.0), (UInt64(6), 5.0, 300.0)])
    func fastKernelMatchesReferenceSolver(seed: UInt64, height: Double, cornerRadius: Double) {
        // Seed 6: a larger, sparse scene (open ground, so the corner sweeps skip ahead).
        let b = seed == 6 ? Self.randomScene(seed: seed, size: 90, buildings: 12) : Self.randomScene(seed: seed)
        let (c, r) = Self.outdoorCell(b, near: 20 + Int(seed) * 5, 30)
        let tx = transmitter(at: b.point(c, r), height: height, range: seed == 6 ? 130 : 90)
        var settings = KernelSettings()
        settings.cornerSearchRadiusMeters = cornerRadius
        let fast = RayCastEngine.run(scene: b.scene, transmitter: tx, settings: settings)
        let slow = ReferenceSolver.solve(scene: b.scene, transmitter: tx, settings: settings)
        #expect(fast.window.columns == slow.window.columns && fast.window.rows == slow.window.rows)
        var computed = 0, losMismatch = 0, close = 0, typeMismatch = 0, corner = 0
        for i in 0..<fast.flags.count where slow.flags[i] & CellFlag.computed != 0 {
            computed += 1
            if (fast.flags[i] & CellFlag.directLOS) != (slow.flags[i] & CellFlag.directLOS) { losMismatch += 1 }
            if abs(fast.window.pathLossDB[i] - slow.window.pathLossDB[i]) <= 0.5 { close += 1 }
            if fast.window.pathType[i] != slow.window.pathType[i] { typeMismatch += 1 }
            if slow.window.pathType[i] == PathType.aroundCorners.rawValue { corner += 1 }
        }
        print("reference seed \(seed) h=\(height): \(computed) cells, LOS mismatches \(losMismatch), within 0.5 dB \(close), type mismatches \(typeMismatch), corner cells \(corner)")
        #expect(computed > 3000)
        #expect(losMismatch == 0)
        #expect(Double(close) >= 0.99 * Double(computed), "\(close) of \(computed) within 0.5 dB")
        #expect(typeMismatch <= computed / 100)
        if height < 10 { #expect(corner > 0, "the scene should exercise corner paths") }
    }

    /// The label-correcting search by turns against the reference's own level-by-level search, for 3, 4 and 6 turns.
    @Test(arguments: [(UInt64(1), 5.0, 300.0, 3), (UInt64(2), 5.0, 300.0, 4), (UInt64(4), 3.0, 300.0, 6),
                      (UInt64(5), 5.0, 40.0, 4), (UInt64(6), 5.0, 300.0, 3), (UInt64(7), 3.0, 60.0, 6)])
    func fastKernelMatchesReferenceSolverWithMoreTurns(seed: UInt64, height: Double, cornerRadius: Double, turns: Int) {
        let b = seed == 6 ? Self.randomScene(seed: seed, size: 90, buildings: 12) : Self.randomScene(seed: seed)
        let (c, r) = Self.outdoorCell(b, near: 20 + Int(seed) * 5, 30)
        let tx = transmitter(at: b.point(c, r), height: height, range: seed == 6 ? 130 : 90)
        var settings = KernelSettings()
        settings.cornerSearchRadiusMeters = cornerRadius
        settings.maxCornerTurns = turns
        let fast = RayCastEngine.run(scene: b.scene, transmitter: tx, settings: settings)
        let slow = ReferenceSolver.solve(scene: b.scene, transmitter: tx, settings: settings)
        settings.maxCornerTurns = 2
        let two = RayCastEngine.run(scene: b.scene, transmitter: tx, settings: settings)
        var computed = 0, identical = 0, typeMismatch = 0, corner = 0, gained = 0
        var worst: Float = 0
        for i in 0..<fast.flags.count where slow.flags[i] & CellFlag.computed != 0 {
            computed += 1
            if fast.window.pathLossDB[i] == slow.window.pathLossDB[i] && fast.window.receivedPowerDBm[i] == slow.window.receivedPowerDBm[i] {
                identical += 1
            }
            worst = max(worst, abs(fast.window.pathLossDB[i] - slow.window.pathLossDB[i]))
            if fast.window.pathType[i] != slow.window.pathType[i] { typeMismatch += 1 }
            if slow.window.pathType[i] == PathType.aroundCorners.rawValue { corner += 1 }
            if fast.window.receivedPowerDBm[i] > two.window.receivedPowerDBm[i] { gained += 1 }
        }
        print("reference seed \(seed) turns \(turns): \(computed) cells, identical \(identical), worst \(worst) dB, type mismatches \(typeMismatch), corner cells \(corner), improved over 2 turns \(gained)")
        #expect(computed > 2500)
        #expect(worst <= 1e-3)   // Float rounding of the two computations
        #expect(typeMismatch == 0)
        #expect(corner > 0)
    }

    @Test(arguments: [2, 4, 6])
    func oneAndTwoThreadsAreBitIdentical(turns: Int) {
        let b = Self.randomScene(seed: 11, size: 160, buildings: 90)
        let (c, r) = Self.outdoorCell(b, near: 80, 80)
        let tx = transmitter(at: b.point(c, r), height: 5, range: 200, pattern: .sector3GPP(), azimuth: 30, downtilt: 4)
        var one = KernelSettings(); one.threads = 1; one.maxCornerTurns = turns
        var two = KernelSettings(); two.threads = 2; two.maxCornerTurns = turns
        var four = KernelSettings(); four.threads = 4; four.maxCornerTurns = turns
        let w1 = PropagationKernel(scene: b.scene, settings: one).compute(tx)
        let w2 = PropagationKernel(scene: b.scene, settings: two).compute(tx)
        let w4 = PropagationKernel(scene: b.scene, settings: four).compute(tx)
        for w in [w2, w4] {
            #expect(w.receivedPowerDBm.map(\.bitPattern) == w1.receivedPowerDBm.map(\.bitPattern))
            #expect(w.pathLossDB.map(\.bitPattern) == w1.pathLossDB.map(\.bitPattern))
            #expect(w.pathType == w1.pathType)
        }
        #expect(w1.pathType.contains(PathType.aroundCorners.rawValue))
        #expect(w1.pathType.contains(PathType.overRooftops.rawValue))
    }

    @Test func linkAgreesWithComputeWithinOneDB() {
        let b = Self.randomScene(seed: 5, size: 100, buildings: 40)
        let (c, r) = Self.outdoorCell(b, near: 50, 50)
        let tx = transmitter(at: b.point(c, r), height: 6, range: 150, pattern: .sector3GPP(), azimuth: 200, downtilt: 2)
        let kernel = PropagationKernel(scene: b.scene)
        let w = kernel.compute(tx)
        var rng = SeededGenerator(seed: 99)
        var checked = 0
        for _ in 0..<25 {
            let col = Int.random(in: 0..<100, using: &rng), row = Int.random(in: 0..<100, using: &rng)
            let p = MapPoint(x: b.grid.center(column: col, row: row).x + 0.3, y: b.grid.center(column: col, row: row).y - 0.4)
            let link = kernel.link(tx, to: p)
            let map = value(w, w.receivedPowerDBm, col, row)
            guard map.isFinite else { #expect(link.pathType == .none); continue }
            checked += 1
            #expect(abs(link.receivedPowerDBm - Double(map)) <= 1, "cell \(col),\(row)")
            #expect(link.pathType == typeAt(w, col, row))
            #expect(abs(link.receivedPowerDBm - (tx.eirpDBm + link.antennaGainDB - link.pathLossDB)) < 1e-6)
            if b.index[row * 100 + col] >= 0 { #expect(link.buildingEntryLossDB > 5) }
        }
        #expect(checked > 10)
        // The bulk form answers the same.
        let points = (0..<6).map { b.point(10 + 15 * $0, 90 - 14 * $0) }
        let bulk = kernel.links(tx, to: points)
        for (p, l) in zip(points, bulk) {
            let single = kernel.link(tx, to: p)
            #expect(l.receivedPowerDBm == single.receivedPowerDBm && l.pathType == single.pathType
                    && l.blockingBuildings == single.blockingBuildings)
        }
    }

    @Test(arguments: [("city", 5.0), ("city", 30.0), ("random", 5.0)])
    func losMaskAgreesWithGDALViewshed(kind: String, height: Double) throws {
        let gdal = ["/usr/bin/gdal_viewshed", "/usr/local/bin/gdal_viewshed"].first { FileManager.default.isExecutableFile(atPath: $0) }
        try #require(gdal != nil, "gdal_viewshed (Debian gdal-bin) is needed")
        var b = SceneBuilder(columns: 200, rows: 200)
        if kind == "city" { b.cityBlocks(seed: 42) } else { b.randomBuildings(count: 160, seed: 42, maxSize: 14) }
        let (c, r) = Self.outdoorCell(b, near: 100, 100)
        let tx = transmitter(at: b.point(c, r), height: height, range: 180)
        let folder = TemporaryFolder("kernel-viewshed")
        let surface = zip(b.ground, b.height).map { $0 + $1 }
        let dem = folder.file("surface.tif").path, vs = folder.file("viewshed.tif").path
        try RasterIO.writeGeoTIFF(path: dem, grid: b.grid, bands: [RasterBand(values: surface, noDataValue: nil, description: "surface")])
        let p = b.point(c, r)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gdal!)
        process.arguments = ["-q", "-ox", "\(p.x)", "-oy", "\(p.y)", "-oz", "\(height)", "-tz", "1.5", "-md", "180", "-cc", "1",
                             "-vv", "255", "-iv", "0", "-ov", "0", dem, vs]
        try process.run(); process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        let visible = try RasterIO.read(path: vs, onto: b.grid)
        var settings = KernelSettings(); settings.maxCornerTurns = 0
        let w = PropagationKernel(scene: b.scene, settings: settings).compute(tx)
        // A third opinion: the straight segment to the cell centre sampled every 1/20 cell (nearest-cell heights).
        func exactLOS(_ col: Int, _ row: Int) -> Bool {
            let n = 20 * max(abs(col - c), abs(row - r))
            for k in 1..<n {
                let f = Double(k) / Double(n)
                let cc = Int((Double(c) + 0.5 + f * Double(col - c)).rounded(.down))
                let rr = Int((Double(r) + 0.5 + f * Double(row - r)).rounded(.down))
                if (cc, rr) == (col, row) || (cc, rr) == (c, r) { continue }
                if Double(surface[rr * 200 + cc]) > height + (1.5 - height) * f { return false }
            }
            return true
        }
        var compared = 0, agree = 0, kernelExact = 0, gdalExact = 0
        for row in 0..<200 {
            for col in 0..<200 where b.index[row * 200 + col] < 0 {
                let t = typeAt(w, col, row)
                guard t != .none, !(col == c && row == r) else { continue }
                compared += 1
                let mine = t == .lineOfSight, theirs = visible[row * 200 + col] > 127, exact = exactLOS(col, row)
                if mine == theirs { agree += 1 }
                if mine == exact { kernelExact += 1 }
                if theirs == exact { gdalExact += 1 }
            }
        }
        #expect(compared > 9_000)
        print("viewshed \(kind) h=\(height): kernel-gdal \(agree), kernel-exact \(kernelExact), gdal-exact \(gdalExact) of \(compared)")
        // gdal_viewshed interpolates each cell's horizon from two neighbours (Wang et al. 2000), which narrows
        // distant corridors; the kernel follows the owner ray. The street-level small cell of a city meets the
        // 99.5 % target; everywhere the kernel is at least as close to the exact segment test as gdal is.
        let required = kind == "city" && height < 10 ? 0.995 : kind == "city" ? 0.99 : 0.95
        #expect(Double(agree) >= required * Double(compared), "\(agree) of \(compared) outdoor cells agree with gdal_viewshed")
        #expect(kernelExact >= gdalExact)
        #expect(Double(kernelExact) >= 0.985 * Double(compared))
    }
}
