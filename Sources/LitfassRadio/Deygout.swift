import Foundation

/// Multiple knife-edge diffraction by the Deygout construction over a building or terrain profile.
///
/// The main edge is the intermediate point with the largest Fresnel parameter ν (P.526-15 eq. (26))
/// relative to the line joining the two ends; its loss J(ν) (P.526-15 eq. (31)) is added, and the
/// construction is repeated on the sub-paths end–edge and edge–end down to `maxDepth` levels
/// (depth 2 is the classic three-edge form). Edges with ν ≤ −0.78 add nothing. Earth curvature is
/// included through the effective earth radius. Distances and heights in metres.
public enum Deygout {
    /// Total diffraction loss, dB (≥ 0).
    /// - Parameters:
    ///   - profile: the profile (ground plus buildings), heights above the datum, m.
    ///   - txHeightAMSLMeters: transmitter antenna height above the datum, m.
    ///   - rxHeightAMSLMeters: receiver antenna height above the datum, m.
    ///   - frequencyHz: frequency, Hz.
    ///   - maxDepth: levels of recursion (1 = the main edge only).
    ///   - effectiveEarthRadiusMeters: a_e, m (infinite for a flat earth).
    public static func lossDB(profile: TerrainProfile, txHeightAMSLMeters: Double, rxHeightAMSLMeters: Double,
                              frequencyHz: Double, maxDepth: Int = 2,
                              effectiveEarthRadiusMeters: Double = 8_500_000) -> Double {
        let lambda = 299_792_458.0 / frequencyHz
        let curvature = 1.0 / (2.0 * effectiveEarthRadiusMeters)
        return profile.distancesMeters.withUnsafeBufferPointer { d in
            profile.heightsMeters.withUnsafeBufferPointer { h in
                segmentLoss(d, h, from: 0, to: d.count - 1, hStart: txHeightAMSLMeters, hEnd: rxHeightAMSLMeters,
                            lambda: lambda, curvature: curvature, depth: maxDepth)
            }
        }
    }

    static func segmentLoss(_ d: UnsafeBufferPointer<Double>, _ h: UnsafeBufferPointer<Double>, from a: Int, to b: Int,
                            hStart: Double, hEnd: Double, lambda: Double, curvature: Double, depth: Int) -> Double {
        guard depth > 0, b - a >= 2 else { return 0 }
        let total = d[b] - d[a]
        var bestNu = -Double.infinity, bestIndex = -1
        for i in (a + 1)..<b {
            let d1 = d[i] - d[a], d2 = d[b] - d[i]
            // Height of the edge above the straight line, with the earth bulge d1 d2 / (2 a_e).
            let above = h[i] + curvature * d1 * d2 - (hStart * d2 + hEnd * d1) / total
            let nu = KnifeEdge.fresnelParameter(heightAboveLineMeters: above, distanceFromTxMeters: d1,
                                                distanceToRxMeters: d2, wavelengthMeters: lambda)
            if nu > bestNu { bestNu = nu; bestIndex = i }
        }
        guard bestIndex >= 0, bestNu > -0.78 else { return 0 }
        let edgeHeight = h[bestIndex]
        return KnifeEdge.lossDB(nu: bestNu)
            + segmentLoss(d, h, from: a, to: bestIndex, hStart: hStart, hEnd: edgeHeight, lambda: lambda,
                          curvature: curvature, depth: depth - 1)
            + segmentLoss(d, h, from: bestIndex, to: b, hStart: edgeHeight, hEnd: hEnd, lambda: lambda,
                          curvature: curvature, depth: depth - 1)
    }
}
