import Foundation
import Testing
import LitfassGeo
import LitfassRadio
@testable import LitfassKernel

/// `CornerSearch.detectNodes` keeps exactly the nodes of the plain rule: the computed cells passing `isNode`, in row-major
/// order, each dropped when a node was already kept at its left, up-left, up or up-right neighbour.
@Suite struct NodeDetectionTests {
    /// The rule written out over a full grid of flags.
    static func reference(_ sv: SceneView, _ s: RunSetup, computed: (Int) -> Bool) -> [Int] {
        var kept = [Bool](repeating: false, count: s.columns * s.rows)
        var nodes: [Int] = []
        for y in 0..<s.rows {
            for x in 0..<s.columns {
                let wi = y * s.columns + x
                guard computed(wi), CornerSearch.isNode(sv, column: s.c0 + x, row: s.r0 + y) else { continue }
                var near = x > 0 && kept[wi - 1]
                if y > 0 {
                    let up = wi - s.columns
                    near = near || kept[up] || (x > 0 && kept[up - 1]) || (x + 1 < s.columns && kept[up + 1])
                }
                if !near { kept[wi] = true; nodes.append(wi) }
            }
        }
        return nodes
    }

    /// Seeded layouts with buildings next to every edge (nodes in the first and last columns and rows), with all cells
    /// computed and with a random half, on 1, 2 and 3 threads.
    @Test(arguments: [(1, 11), (2, 12), (3, 13), (2, 14)]) func sameNodesAsThePlainRule(threads: Int, seed: UInt64) throws {
        let columns = 47, rows = 39
        var b = SceneBuilder(columns: columns, rows: rows)
        b.randomBuildings(count: 60, seed: seed, maxSize: 6)
        // One cell in from each edge, on ground cleared around them, so that their convex corners have nodes in the first
        // and last columns and rows.
        let edges: [(ClosedRange<Int>, ClosedRange<Int>)] = [(1...3, 5...7), ((columns - 4)...(columns - 2), 10...12),
                                                            (20...22, 1...2), (30...32, (rows - 3)...(rows - 2))]
        for (k, (c, r)) in edges.enumerated() {
            b.building(columns: (c.lowerBound - 4)...(c.upperBound + 4), rows: (r.lowerBound - 4)...(r.upperBound + 4), height: 0, id: -1)
            b.building(columns: c, rows: r, height: 10, id: Int32(900 + k))
        }
        var settings = KernelSettings()
        settings.threads = threads
        let s = try #require(RunSetup(scene: b.scene, transmitter: transmitter(at: b.point(23, 19), height: 5, range: 5000),
                                      settings: settings))
        #expect(s.columns == columns && s.rows == rows)
        var random = SeededGenerator(seed: seed)
        let half = (0..<columns * rows).map { _ in random.next() % 2 == 0 }
        try b.ground.withUnsafeBufferPointer { g in
            try b.height.withUnsafeBufferPointer { h in
                try b.index.withUnsafeBufferPointer { i in
                    let sv = SceneView(ground: g.baseAddress!, height: h.baseAddress!, index: i.baseAddress!,
                                       columns: columns, rows: rows, cellSize: b.grid.cellSizeMeters)
                    let computed = [UInt8](repeating: CellFlag.computed, count: columns * rows)
                    let some = half.map { $0 ? CellFlag.computed | CellFlag.directLOS : CellFlag.building }
                    let all = computed.withUnsafeBufferPointer { CornerSearch.detectNodes(sv, s, flags: $0.baseAddress!) }
                    #expect(all == Self.reference(sv, s) { _ in true })
                    #expect(all.count > 30)
                    #expect(all.contains { $0 % columns == 0 } && all.contains { $0 % columns == columns - 1 }, "nodes in the edge columns")
                    #expect(all.contains { $0 / columns == 0 } && all.contains { $0 / columns == rows - 1 }, "nodes in the edge rows")
                    let found = some.withUnsafeBufferPointer { CornerSearch.detectNodes(sv, s, flags: $0.baseAddress!) }
                    #expect(found == Self.reference(sv, s) { half[$0] })
                    _ = try #require(found.first)
                }
            }
        }
    }
}
