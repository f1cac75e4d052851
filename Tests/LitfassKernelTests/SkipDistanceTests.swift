import Foundation
import Testing
import LitfassGeo
import LitfassRadio
@testable import LitfassKernel

/// `CornerSearch.skipDistances`: a lower bound of the Chebyshev distance to the nearest cell a sweep must look at, exact
/// on one thread; with one band of rows per thread never larger than the exact distance (so no skip passes over such
/// a cell).
@Suite struct SkipDistanceTests {
    @Test(arguments: [1, 2, 3, 7]) func neverMoreThanTheExactDistance(threads: Int) throws {
        let columns = 61, rows = 53
        let b = SceneBuilder(columns: columns, rows: rows)
        var settings = KernelSettings()
        settings.threads = threads
        let tx = transmitter(at: b.point(30, 26), height: 5, range: 2000)
        let s = try #require(RunSetup(scene: b.scene, transmitter: tx, settings: settings))
        #expect(s.columns == columns && s.rows == rows)
        var random = SeededGenerator(seed: 7)
        // Sparse interesting cells (a building, a node or a wanted cell without line of sight), the rest open ground in sight.
        let flags: [UInt8] = (0..<columns * rows).map { _ in
            switch random.next() % 97 {
            case 0: return CellFlag.building
            case 1: return CellFlag.computed | CellFlag.node | CellFlag.directLOS
            case 2: return CellFlag.computed
            default: return CellFlag.computed | CellFlag.directLOS
            }
        }
        let interesting = flags.indices.filter { flags[$0] & (CellFlag.building | CellFlag.node) != 0 || flags[$0] == CellFlag.computed }
        #expect(interesting.count > 20)
        let skip = flags.withUnsafeBufferPointer { CornerSearch.skipDistances(s, flags: $0.baseAddress!, wanted: nil) }
        defer { skip.deallocate() }
        var smaller = 0
        for wi in 0..<columns * rows {
            let x = wi % columns, y = wi / columns
            let exact = min(255, interesting.map { max(abs($0 % columns - x), abs($0 / columns - y)) }.min()!)
            #expect(Int(skip[wi]) <= exact, "cell (\(x), \(y)): \(skip[wi]) > \(exact)")
            if Int(skip[wi]) < exact { smaller += 1 }
        }
        if threads == 1 { #expect(smaller == 0, "one band is the exact transform") }
    }
}
