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

    @Test func distinctRaysForDistinctIndices() {
        let r = 9
        let rays = (0..<RayGeometry.rayCount(radius: r)).map { RayGeometry.ray($0, radius: r) }
        #expect(Set(rays.map { "\($0.px),\($0.py)" }).count == 8 * r)
    }
}
