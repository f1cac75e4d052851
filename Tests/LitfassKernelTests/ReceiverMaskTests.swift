import Foundation
import Testing
import LitfassGeo
import LitfassRadio
@testable import LitfassKernel

/// `compute(_:receivers:)`: the wanted cells get `compute`'s values bit for bit, the others none.
@Suite struct ReceiverMaskTests {
    enum MaskShape: String, CaseIterable, Sendable { case scattered, disc, halfPlane }

    /// A receiver mask over the grid: a seeded scatter of single cells (half of them), a disc around a point off the
    /// transmitter (like a data area that does not cover the whole grid), or the cells east of a column.
    static func mask(_ shape: MaskShape, columns: Int, rows: Int, seed: UInt64) -> [UInt8] {
        var random = SeededGenerator(seed: seed)
        return (0..<columns * rows).map { i in
            let c = i % columns, r = i / columns
            switch shape {
            case .scattered: return UInt8(random.next() & 1)
            case .disc:
                let dx = Double(c - columns / 3), dy = Double(r - rows / 2)
                return dx * dx + dy * dy <= Double(columns * columns) / 9 ? 1 : 0
            case .halfPlane: return c >= columns / 2 ? 1 : 0
            }
        }
    }

    @Test(arguments: [(UInt64(21), 5.0), (UInt64(22), 25.0), (UInt64(23), 3.0)], MaskShape.allCases)
    func wantedCellsMatchComputeAndOthersStayEmpty(scene: (seed: UInt64, height: Double), shape: MaskShape) {
        Self.check(scene: scene, shape: shape, turns: 2)
    }

    /// The same with 4 and 6 turns (the deeper levels' sources do not depend on the mask either).
    @Test(arguments: [(UInt64(21), 5.0, 4), (UInt64(23), 3.0, 6)], [MaskShape.scattered, .disc])
    func wantedCellsMatchComputeWithMoreTurns(scene: (seed: UInt64, height: Double, turns: Int), shape: MaskShape) {
        Self.check(scene: (scene.seed, scene.height), shape: shape, turns: scene.turns)
    }

    static func check(scene: (seed: UInt64, height: Double), shape: MaskShape, turns: Int) {
        let b = ConsistencyTests.randomScene(seed: scene.seed, size: 140, buildings: 70)
        let (c, r) = ConsistencyTests.outdoorCell(b, near: 60, 70)
        let tx = transmitter(at: b.point(c, r), height: scene.height, range: 240, pattern: .sector3GPP(), azimuth: 70, downtilt: 3)
        let receivers = Self.mask(shape, columns: b.grid.columns, rows: b.grid.rows, seed: scene.seed)
        var corner = 0, wanted = 0, others = 0
        for threads in [1, 2] {
            var settings = KernelSettings()
            settings.threads = threads
            settings.cornerSearchRadiusMeters = 120
            settings.maxCornerTurns = turns
            let kernel = PropagationKernel(scene: b.scene, settings: settings)
            let all = kernel.compute(tx), some = kernel.compute(tx, receivers: receivers)
            #expect(all.columns == some.columns && all.rows == some.rows && all.columnOffset == some.columnOffset && all.rowOffset == some.rowOffset)
            for i in 0..<all.receivedPowerDBm.count {
                let g = (all.rowOffset + i / all.columns) * b.grid.columns + all.columnOffset + i % all.columns
                if receivers[g] != 0 {
                    wanted += 1
                    if all.pathType[i] == PathType.aroundCorners.rawValue { corner += 1 }
                    #expect(some.receivedPowerDBm[i].bitPattern == all.receivedPowerDBm[i].bitPattern, "power at \(i)")
                    #expect(some.pathLossDB[i].bitPattern == all.pathLossDB[i].bitPattern, "loss at \(i)")
                    #expect(some.pathType[i] == all.pathType[i], "type at \(i)")
                } else {
                    others += 1
                    #expect(some.receivedPowerDBm[i] == -.infinity && some.pathLossDB[i] == .infinity && some.pathType[i] == PathType.none.rawValue)
                }
            }
        }
        #expect(wanted > 5_000 && others > 5_000, "both kinds of cells: \(wanted) wanted, \(others) not")
        if scene.height < 10 { #expect(corner > 100, "the scene should exercise corner paths among the wanted cells (\(corner))") }
    }
}
