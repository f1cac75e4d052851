import Foundation
import LitfassRadio

/// The discretisation shared by the fast sweep and the reference solver.
///
/// Rays leave a centre cell towards the `8R` cells of the square of Chebyshev radius `R` around it
/// (the "R2" ray set of viewshed algorithms). A ray towards perimeter offset `(px, py)` is x-major when
/// `|px| == R` (this includes the four corners), else y-major; at step `i` (1…R) it is in the cell one major
/// step `i` away, with the minor offset `roundDiv(i · minor, R)`. Every cell `(dx, dy)` with Chebyshev
/// distance `k` (1 ≤ k ≤ R) has exactly one *owner ray*, obtained by projecting it to the perimeter and
/// rounding; the owner ray passes through the cell at step `k` (|k·minor/R − d| < ½ for k < R, exact at k = R).
/// So each cell is evaluated by exactly one ray, along that ray's profile. Offsets are in (column, row)
/// units, rows growing southwards.
enum RayGeometry {
    /// ⌊a / b⌋ for b > 0.
    @inline(__always) static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
    /// a / b rounded to nearest (ties upwards), integers only, b > 0.
    @inline(__always) static func roundDiv(_ a: Int, _ b: Int) -> Int { floorDiv(2 * a + b, 2 * b) }

    /// Number of rays for radius R.
    @inline(__always) static func rayCount(radius r: Int) -> Int { 8 * r }

    /// Perimeter offset of ray `index` (0 ..< 8R).
    @inline(__always) static func ray(_ index: Int, radius r: Int) -> (px: Int, py: Int) {
        let side = 2 * r + 1
        if index < side { return (r, -r + index) }
        if index < 2 * side { return (-r, -r + index - side) }
        let rest = index - 2 * side                 // 0 ..< 2(2R − 1)
        let inner = 2 * r - 1
        if rest < inner { return (-r + 1 + rest, r) }
        return (-r + 1 + rest - inner, -r)
    }

    /// The owner ray (perimeter offset) of cell offset (dx, dy), 1 ≤ max(|dx|, |dy|) ≤ R.
    @inline(__always) static func owner(dx: Int, dy: Int, radius r: Int) -> (px: Int, py: Int) {
        let k = max(abs(dx), abs(dy))
        if abs(dx) == k { return (dx > 0 ? r : -r, roundDiv(dy * r, k)) }
        return (roundDiv(dx * r, k), dy > 0 ? r : -r)
    }

    /// Cell offset of ray (px, py) at step i.
    @inline(__always) static func step(_ i: Int, px: Int, py: Int, radius r: Int) -> (dx: Int, dy: Int) {
        if abs(px) == r { return (px > 0 ? i : -i, roundDiv(i * py, r)) }
        return (roundDiv(i * px, r), py > 0 ? i : -i)
    }

    /// Horizontal distance covered by one step of ray (px, py) [m].
    @inline(__always) static func stepLength(px: Int, py: Int, radius r: Int, cellSize: Double) -> Double {
        let minor = abs(px) == r ? Double(py) : Double(px)
        let ratio = minor / Double(r)
        return cellSize * (1 + ratio * ratio).squareRoot()
    }
}

/// Street-level (horizontal-plane) visibility along one ray through building cells.
///
/// A target cell is visible when no building cell lies before it on the ray, or — for a target inside
/// building `b` — when the only building cells before it are the contiguous run of `b`'s own cells
/// ending just before it (the receiver is inside and its own building is ignored).
struct RunTracker {
    var buildingSeen = false
    var blocked = false
    /// Building of the contiguous run of building cells ending at the last sample, −1 if none.
    var runBuilding: Int32 = -1

    @inline(__always) func visible(target b: Int32) -> Bool {
        if !buildingSeen { return true }
        return b >= 0 && !blocked && runBuilding == b
    }

    /// True when the target is inside the building whose run ends at the last sample (own building).
    @inline(__always) func inOwnRun(target b: Int32) -> Bool { b >= 0 && runBuilding == b }

    /// Adds the sample; returns true when it starts a new building run.
    @inline(__always) mutating func add(_ b: Int32) -> Bool {
        if b >= 0 {
            if runBuilding == b { return false }
            if buildingSeen { blocked = true }
            buildingSeen = true
            runBuilding = b
            return true
        }
        if runBuilding >= 0 { blocked = true; runBuilding = -1 }
        return false
    }
}

/// Rooftop diffraction over the taut string ("rubber band") of a vertical profile.
///
/// `hs`/`hz` hold the taut-string vertices between the transmitter (index 0) and the receiver: indices
/// 1…t are the diffracting edges, all above the straight line (by convexity). Deygout (ITU-R P.526-15
/// §4.5.1) with one level of sub-edges: the main edge is the one with the largest ν (P.526-15 eq. (26)),
/// the sub-paths transmitter–main edge and main edge–receiver each add their own largest-ν edge; each edge
/// adds J(ν) (P.526-15 eq. (31)). At most three edges, as in the classic three-edge Deygout form.
enum TautStringDiffraction {
    @inline(__always)
    static func nu(_ aS: Double, _ aZ: Double, _ eS: Double, _ eZ: Double, _ bS: Double, _ bZ: Double,
                   lambda: Double) -> Double {
        let d1 = eS - aS, d2 = bS - eS
        let h = eZ - (aZ + (bZ - aZ) * d1 / (d1 + d2))
        return KnifeEdgeShim.nu(h, d1, d2, lambda)
    }

    /// Index (in a…b exclusive) of the vertex with the largest ν relative to the line from vertex a to the
    /// point (bS, bZ). ν = h·sqrt(2/λ · D/(d1 d2)) (D = d1 + d2 is common), so the order of ν is the order
    /// of h|h|/(d1 d2), compared by cross-multiplication: no square root or division per vertex.
    @inline(__always)
    static func mainEdge(_ hs: UnsafePointer<Double>, _ hz: UnsafePointer<Double>, from a: Int, to end: Int,
                         bS: Double, bZ: Double) -> (index: Int, h: Double, d1: Double, d2: Double) {
        let aS = hs[a], aZ = hz[a]
        let slope = (bZ - aZ) / (bS - aS)
        var best = (index: -1, h: 0.0, d1: 1.0, d2: 1.0)
        var bestNum = -Double.infinity, bestDen = 1.0
        for j in (a + 1)..<end {
            let d1 = hs[j] - aS, d2 = bS - hs[j]
            let h = hz[j] - aZ - slope * d1
            let num = h * abs(h), den = d1 * d2
            if best.index < 0 || num * bestDen > bestNum * den {
                best = (j, h, d1, d2); bestNum = num; bestDen = den
            }
        }
        return best
    }

    /// Total diffraction loss [dB] over vertices 1…t of (hs, hz) towards the receiver (rS, rZ).
    static func lossDB(_ hs: UnsafePointer<Double>, _ hz: UnsafePointer<Double>, t: Int, rS: Double, rZ: Double,
                       lambda: Double) -> Double {
        guard t >= 1 else { return 0 }
        let m = mainEdge(hs, hz, from: 0, to: t + 1, bS: rS, bZ: rZ)
        var loss = KnifeEdgeShim.j(KnifeEdgeShim.nu(m.h, m.d1, m.d2, lambda))
        if m.index > 1 {
            let e = mainEdge(hs, hz, from: 0, to: m.index, bS: hs[m.index], bZ: hz[m.index])
            loss += KnifeEdgeShim.j(KnifeEdgeShim.nu(e.h, e.d1, e.d2, lambda))
        }
        if m.index < t {
            // Vertices main+1 … t towards the receiver.
            let e = mainEdge(hs, hz, from: m.index, to: t + 1, bS: rS, bZ: rZ)
            loss += KnifeEdgeShim.j(KnifeEdgeShim.nu(e.h, e.d1, e.d2, lambda))
        }
        return loss
    }
}

/// Turning angle [degrees, 0…180] between two horizontal directions, with the polynomial `elevationDegrees`
/// (|error| < 6e-4°, i.e. < 2e-4 dB of turn loss): the sweeps' per-ray form of
/// `CornerLossModel.turnAngleDegrees`.
@inline(__always)
func fastTurnAngleDegrees(fromX ax: Double, fromY ay: Double, toX bx: Double, toY by: Double) -> Double {
    abs(elevationDegrees(ax * by - ay * bx, ax * bx + ay * by))
}

/// atan2(y, x) in degrees, by a minimax polynomial (|error| < 1e-5 rad ≈ 6e-4°; Abramowitz &
/// Stegun 4.4.49-style odd polynomial on [0, 1] with the reflection atan z = π/2 − atan(1/z)). Used only for
/// the antenna and building-entry elevation angles, where the error is far below the models' resolution.
@inline(__always)
func elevationDegrees(_ y: Double, _ x: Double) -> Double {
    let ay = abs(y), ax = abs(x)
    if ay == 0 && ax == 0 { return 0 }
    let swap = ay > ax
    let z = swap ? ax / ay : ay / ax
    let z2 = z * z
    var a = z * (0.99997726 + z2 * (-0.33262347 + z2 * (0.19354346 + z2 * (-0.11643287
        + z2 * (0.05265332 + z2 * -0.01172120)))))
    if swap { a = Double.pi / 2 - a }
    if x < 0 { a = Double.pi - a }
    return (y < 0 ? -a : a) * (180 / Double.pi)
}

/// Thin forwarding to `LitfassRadio.KnifeEdge` (P.526-15 eqs. (26), (31)).
enum KnifeEdgeShim {
    @inline(__always) static func nu(_ h: Double, _ d1: Double, _ d2: Double, _ lambda: Double) -> Double {
        KnifeEdge.fresnelParameter(heightAboveLineMeters: h, distanceFromTxMeters: d1, distanceToRxMeters: d2,
                                   wavelengthMeters: lambda)
    }
    @inline(__always) static func j(_ nu: Double) -> Double { KnifeEdge.lossDB(nu: nu) }
}

/// Incremental walk along one ray of `RayGeometry`: the same cells as `RayGeometry.step` and the same
/// ownership as `RayGeometry.owner`, without integer divisions (a Bresenham-style remainder for the minor
/// offset, and the ownership test `roundDiv(minor · R, i) == m` written as `2im ≤ 2·minor·R + i < 2im + 2i`).
struct RayWalker {
    let radius: Int
    let xMajor: Bool
    let majorSign: Int
    /// The perimeter's minor coordinate m.
    let m: Int
    private(set) var i = 0
    /// roundDiv(i·m, R) = q with 2im + R = q·2R + rem, 0 ≤ rem < 2R.
    private(set) var q = 0
    private var rem: Int

    init(px: Int, py: Int, radius r: Int) {
        radius = r
        xMajor = abs(px) == r
        majorSign = xMajor ? (px > 0 ? 1 : -1) : (py > 0 ? 1 : -1)
        m = xMajor ? py : px
        rem = r
    }

    /// Advances one step; returns the cell offset and whether the ray owns that cell.
    @inline(__always) mutating func advance() -> (dx: Int, dy: Int, owned: Bool) {
        // Wrapping arithmetic: every value is bounded by 4R² (R < 2³¹), far from overflow.
        i &+= 1
        rem &+= 2 &* m
        let twoR = 2 &* radius
        // Branch-free carry: over = −1 when rem ≥ 2R, under = −1 when rem < 0 (|2m| ≤ 2R: at most one).
        let over = (twoR &- 1 &- rem) >> 63, under = rem >> 63
        q = q &- over &+ under
        rem = rem &+ (over &- under) &* twoR
        let lhs = 2 &* q &* radius &+ i, base = 2 &* i &* m
        let owned = UInt(bitPattern: lhs &- base) < UInt(bitPattern: 2 &* i) && (xMajor || (q != i && q != 0 &- i))
        return xMajor ? (majorSign &* i, q, owned) : (q, majorSign &* i, owned)
    }
}

/// The ray set of the radial sweep with one radius per side of the window: the rays end on the window's own
/// border (east `px = E`, west `px = −W`, south `py = S`, north `py = −N`, in cells from the centre), so an
/// elongated or off-centre window is not oversampled. Each side is the square construction of `RayGeometry`
/// restricted to its own cells: x-major cells (|dx| ≥ |dy|) east of the centre belong to the east rays with
/// R = E, and so on, so every cell still has exactly one owner ray that passes through it.
struct RaySet: Sendable {
    let east: Int, west: Int, south: Int, north: Int

    init(east: Int, west: Int, south: Int, north: Int) {
        self.east = east; self.west = west; self.south = south; self.north = north
    }

    /// The square ray set of radius r (`RayGeometry`).
    init(square r: Int) { self.init(east: r, west: r, south: r, north: r) }

    private var eastCount: Int { east > 0 ? 2 * east + 1 : 0 }
    private var westCount: Int { west > 0 ? 2 * west + 1 : 0 }
    private var southCount: Int { south > 1 ? 2 * south - 1 : (south == 1 ? 1 : 0) }
    private var northCount: Int { north > 1 ? 2 * north - 1 : (north == 1 ? 1 : 0) }

    /// Number of rays.
    var count: Int { eastCount + westCount + southCount + northCount }
    /// The largest side radius (the longest ray).
    var maxRadius: Int { max(east, west, south, north) }

    /// Perimeter offset and radius of ray `index` (0 ..< count).
    @inline(__always) func ray(_ index: Int) -> (px: Int, py: Int, radius: Int) {
        var i = index
        if i < eastCount { return (east, -east + i, east) }
        i -= eastCount
        if i < westCount { return (-west, -west + i, west) }
        i -= westCount
        if i < southCount { return (-south + 1 + i, south, south) }
        i -= southCount
        return (-north + 1 + i, -north, north)
    }

    /// Index (as in `ray(_:)`) of the ray (px, py, radius) that `ray(_:)` or `owner(dx:dy:)` returned — the
    /// inverse of `ray(_:)`. x-major rays have |px| = radius, y-major rays |px| < radius.
    @inline(__always) func index(px: Int, py: Int, radius: Int) -> Int {
        if abs(px) == radius {
            return px > 0 ? py + east : eastCount + py + west
        }
        return py > 0 ? eastCount + westCount + px + south - 1 : eastCount + westCount + southCount + px + north - 1
    }

    /// The owner ray of cell offset (dx, dy) ≠ (0, 0) inside the window.
    @inline(__always) func owner(dx: Int, dy: Int) -> (px: Int, py: Int, radius: Int) {
        let k = max(abs(dx), abs(dy))
        if abs(dx) == k {
            let r = dx > 0 ? east : west
            return (dx > 0 ? r : -r, RayGeometry.roundDiv(dy * r, k), r)
        }
        let r = dy > 0 ? south : north
        return (RayGeometry.roundDiv(dx * r, k), dy > 0 ? r : -r, r)
    }
}

/// Every step of every ray of the square ray set of one radius R (`RayGeometry`), as `RayWalker` walks them: ray k's
/// step i (1…R) is entry k·R + i − 1. The corner search sweeps thousands of sources with the same radius; reading the
/// steps from here leaves one 8-byte load per step in its inner loop, and a skip over cells that cannot matter is an
/// index increment instead of a division. A table depends on the radius alone and is built once per process
/// (`shared(radius:)`; 8 R² entries of 8 bytes: 1.4 MB for the default 300 m at 2 m).
struct SquareRayTable: Sendable {
    /// One step: the cell's offset from the centre and its squared distance [cells²], negative where the ray does not own
    /// the cell (`RayGeometry.owner`).
    struct Step: Sendable {
        var dx: Int16
        var dy: Int16
        var ownedDistance2: Int32
        var owned: Bool { ownedDistance2 > 0 }
        var distance2: Int { Int(abs(ownedDistance2)) }
    }

    let radius: Int
    let steps: [Step]

    init(radius r: Int) {
        precondition(r >= 1 && r <= Int(Int16.max), "corner search radius out of range: \(r) cells")
        radius = r
        let rays = RayGeometry.rayCount(radius: r)
        var steps = [Step]()
        steps.reserveCapacity(rays * r)
        for ray in 0..<rays {
            let (px, py) = RayGeometry.ray(ray, radius: r)
            var walker = RayWalker(px: px, py: py, radius: r)
            for _ in 0..<r {
                let step = walker.advance()
                let d2 = Int32(step.dx * step.dx + step.dy * step.dy)
                steps.append(Step(dx: Int16(step.dx), dy: Int16(step.dy), ownedDistance2: step.owned ? d2 : -d2))
            }
        }
        self.steps = steps
    }

    private nonisolated(unsafe) static var tables: [Int: SquareRayTable] = [:]
    private static let lock = NSLock()

    /// The table of radius `r`, built on first use and kept for the process.
    static func shared(radius r: Int) -> SquareRayTable {
        lock.lock()
        defer { lock.unlock() }
        if let table = tables[r] { return table }
        let table = SquareRayTable(radius: r)
        tables[r] = table
        return table
    }
}
