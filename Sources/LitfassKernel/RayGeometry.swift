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

    /// Total diffraction loss [dB] over vertices 1…t of (hs, hz) towards the receiver (rS, rZ).
    static func lossDB(_ hs: UnsafePointer<Double>, _ hz: UnsafePointer<Double>, t: Int, rS: Double, rZ: Double,
                       lambda: Double) -> Double {
        guard t >= 1 else { return 0 }
        var main = 1
        var best = -Double.infinity
        for j in 1...t {
            let v = nu(hs[0], hz[0], hs[j], hz[j], rS, rZ, lambda: lambda)
            if v > best { best = v; main = j }
        }
        var loss = KnifeEdgeShim.j(best)
        if main > 1 {
            var b = -Double.infinity
            for j in 1..<main { b = max(b, nu(hs[0], hz[0], hs[j], hz[j], hs[main], hz[main], lambda: lambda)) }
            loss += KnifeEdgeShim.j(b)
        }
        if main < t {
            var b = -Double.infinity
            for j in (main + 1)...t { b = max(b, nu(hs[main], hz[main], hs[j], hz[j], rS, rZ, lambda: lambda)) }
            loss += KnifeEdgeShim.j(b)
        }
        return loss
    }
}

/// Thin forwarding to `LitfassRadio.KnifeEdge` (P.526-15 eqs. (26), (31)).
enum KnifeEdgeShim {
    @inline(__always) static func nu(_ h: Double, _ d1: Double, _ d2: Double, _ lambda: Double) -> Double {
        KnifeEdge.fresnelParameter(heightAboveLineMeters: h, distanceFromTxMeters: d1, distanceToRxMeters: d2,
                                   wavelengthMeters: lambda)
    }
    @inline(__always) static func j(_ nu: Double) -> Double { KnifeEdge.lossDB(nu: nu) }
}
