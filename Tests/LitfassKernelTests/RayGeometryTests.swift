import Testing
@testable import LitfassKernel

@Suite struct RayGeometryTests {
    @Test func everyCellHasExactlyOneOwnerRayThatVisitsIt() {
        for r in [1, 2, 3, 7, 16, 33] {
            var owners = [Int](repeating: 0, count: (2 * r + 1) * (2 * r + 1))
            for ray in 0..<RayGeometry.rayCount(radius: r) {
                let (px, py) = RayGeometry.ray(ray, radius: r)
                #expect(max(abs(px), abs(py)) == r)
                var walker = RayWalker(px: px, py: py, radius: r)
                for i in 1...r {
                    let (dx, dy) = RayGeometry.step(i, px: px, py: py, radius: r)
                    let w = walker.advance()
                    #expect(w.dx == dx && w.dy == dy)
                    let owned = RayGeometry.owner(dx: dx, dy: dy, radius: r) == (px, py)
                    #expect(w.owned == owned, "r \(r) ray (\(px), \(py)) step \(i)")
                    if owned { owners[(dy + r) * (2 * r + 1) + dx + r] += 1 }
                }
            }
            for (k, n) in owners.enumerated() where k != r * (2 * r + 1) + r { #expect(n == 1, "r \(r) cell \(k)") }
        }
    }

    @Test(arguments: [(5, 5, 5, 5), (9, 2, 4, 0), (0, 7, 1, 12), (1, 1, 30, 3), (17, 6, 0, 11)])
    func perSideRaySetsOwnEveryWindowCellOnce(east: Int, west: Int, south: Int, north: Int) {
        let rays = RaySet(east: east, west: west, south: south, north: north)
        let w = west + east + 1, h = north + south + 1
        var owners = [Int](repeating: 0, count: w * h)
        for index in 0..<rays.count {
            let (px, py, r) = rays.ray(index)
            var walker = RayWalker(px: px, py: py, radius: r)
            for _ in 0..<r {
                let (dx, dy, owned) = walker.advance()
                guard dx >= -west, dx <= east, dy >= -north, dy <= south else { break }
                let o = rays.owner(dx: dx, dy: dy)
                #expect(owned == (o.px == px && o.py == py && o.radius == r), "ray (\(px), \(py)) cell (\(dx), \(dy))")
                if owned { owners[(dy + north) * w + dx + west] += 1 }
            }
        }
        for (k, n) in owners.enumerated() where k != north * w + west { #expect(n == 1, "cell \(k % w - west), \(k / w - north)") }
    }

    @Test func distinctRaysForDistinctIndices() {
        let r = 9
        let rays = (0..<RayGeometry.rayCount(radius: r)).map { RayGeometry.ray($0, radius: r) }
        #expect(Set(rays.map { "\($0.px),\($0.py)" }).count == 8 * r)
    }
}
