import Foundation
import Testing
import LitfassGeo
import LitfassRadio
@testable import LitfassKernel

/// `RayCastEngine.rayStops`: with a receiver mask the radial sweep's rays end after the last cell that matters.
@Suite struct RayStopTests {
    /// Open ground 400 × 300 cells (2 m) with a long north–south wall (30 m) east of the transmitter, which stands west
    /// of the wall's north end, and a few random buildings in the far west; the wanted cells are a patch behind the
    /// wall, more than 80 cells from its ends: the corner paths into the patch turn at the wall's north end (a node no
    /// wanted cell is near), and the rays over the open ground east of the patch and to the south have nothing to do.
    static func scene() -> (builder: SceneBuilder, tx: Transmitter, wanted: [UInt8]) {
        var b = SceneBuilder(columns: 400, rows: 300)
        b.randomBuildings(count: 12, seed: 41, maxSize: 8)
        for i in b.index.indices where i % 400 >= 40 { b.index[i] = -1; b.height[i] = 0 }   // random ones only in the west
        b.building(columns: 120...124, rows: 60...240, height: 30, id: 100)
        let wanted = (0..<(400 * 300)).map { i -> UInt8 in
            let c = i % 400, r = i / 400
            return (130...150).contains(c) && (140...160).contains(r) ? 1 : 0
        }
        return (b, transmitter(at: b.point(60, 56), height: 5, range: 2000), wanted)
    }

    @Test func stopsReachEveryWantedCellAndEveryCellNextToABuilding() throws {
        let (b, tx, wanted) = Self.scene()
        let scene = b.scene
        let setup = try #require(RunSetup(scene: scene, transmitter: tx, settings: KernelSettings()))
        let stops: [Int] = scene.groundHeightMeters.withUnsafeBufferPointer { g in
            scene.buildingHeightMeters.withUnsafeBufferPointer { h in
                scene.buildingIndex.withUnsafeBufferPointer { i in
                    let sv = SceneView(ground: g.baseAddress!, height: h.baseAddress!, index: i.baseAddress!,
                                       columns: scene.grid.columns, rows: scene.grid.rows, cellSize: scene.grid.cellSizeMeters)
                    // The window is the whole grid here, so window and grid indices agree.
                    return wanted.withUnsafeBufferPointer { RayCastEngine.rayStops(sv, setup, wanted: $0.baseAddress!) }
                }
            }
        }
        #expect(setup.c0 == 0 && setup.r0 == 0 && setup.columns == 400 && setup.rows == 300)
        func building(_ c: Int, _ r: Int) -> Bool { c >= 0 && c < 400 && r >= 0 && r < 300 && b.index[r * 400 + c] >= 0 }
        var needed = 0
        for r in 0..<300 {
            for c in 0..<400 where !(c == setup.txCol && r == setup.txRow) {
                let nextToBuilding = (-1...1).contains { dy in (-1...1).contains { dx in building(c + dx, r + dy) } }
                guard wanted[r * 400 + c] != 0 || nextToBuilding else { continue }
                needed += 1
                let dx = c - setup.txCol, dy = r - setup.txRow
                let owner = setup.rays.owner(dx: dx, dy: dy)
                let ray = setup.rays.index(px: owner.px, py: owner.py, radius: owner.radius)
                #expect(stops[ray] >= max(abs(dx), abs(dy)), "cell (\(c), \(r)) lies beyond its ray's stop")
            }
        }
        let walked = stops.reduce(0, +), full = (0..<setup.rays.count).reduce(0) { $0 + setup.rays.ray($1).radius }
        #expect(needed > 1_000)
        #expect(Double(walked) < 0.7 * Double(full), "the stops should cut the open ground: \(walked) of \(full) steps")
    }

    /// The wanted cells get `compute`'s values bit for bit although most rays stop early, on 1 and 2 threads; their
    /// corner paths turn at nodes far from every wanted cell, which the rays must still reach.
    @Test func wantedCellsKeepTheirValuesWhenRaysStopEarly() {
        let (b, tx, wanted) = Self.scene()
        var corner = 0
        for threads in [1, 2] {
            var settings = KernelSettings()
            settings.threads = threads
            let kernel = PropagationKernel(scene: b.scene, settings: settings)
            let all = kernel.compute(tx), some = kernel.compute(tx, receivers: wanted)
            for i in all.receivedPowerDBm.indices {
                let g = (all.rowOffset + i / all.columns) * 400 + all.columnOffset + i % all.columns
                guard wanted[g] != 0 else { continue }
                if all.pathType[i] == PathType.aroundCorners.rawValue { corner += 1 }
                #expect(some.receivedPowerDBm[i].bitPattern == all.receivedPowerDBm[i].bitPattern, "power at \(i)")
                #expect(some.pathLossDB[i].bitPattern == all.pathLossDB[i].bitPattern, "loss at \(i)")
                #expect(some.pathType[i] == all.pathType[i], "type at \(i)")
            }
        }
        #expect(corner > 200, "the patch behind the wall should be served around the wall's ends (\(corner) corner cells)")
    }
}
