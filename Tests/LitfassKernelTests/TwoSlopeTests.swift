import Foundation
import Testing
import LitfassGeo
import LitfassRadio
@testable import LitfassKernel

/// The ray-cast model's line-of-sight loss: free space up to the breakpoint, then the two-slope excess of
/// 3GPP TR 38.901 Table 7.4.1-1 UMa LOS, PL2 − PL1 = 9 log10(d_3D² / (d'_BP² + Δh²)).
@Suite struct TwoSlopeTests {
    @Test func excessBeyondTheBreakpointOnly() {
        let builder = SceneBuilder(columns: 400, rows: 5, cellSize: 5)
        let kernel = PropagationKernel(scene: builder.scene, settings: KernelSettings(receiverHeightMeters: 1.5, model: .rayCast))
        let f = 800e6, hBS = 20.0
        let tx = Transmitter(id: "t", position: MapPoint(x: 2.5, y: 12.5), antennaHeightMeters: hBS, frequencyHz: f, eirpDBm: 60,
                             pattern: .omni, azimuthDegrees: 0, downtiltDegrees: 0, maxRangeMeters: 5000)
        // d'_BP = 4 (20 − 1)(1.5 − 1) 0.8e9 / 3e8 = 101.3 m.
        let dBP = 4 * (hBS - 1) * 0.5 * f / 3e8
        let bp2 = dBP * dBP + (hBS - 1.5) * (hBS - 1.5)
        for x in [52.5, 502.5, 1502.5] {
            let link = kernel.link(tx, to: MapPoint(x: x, y: 12.5))
            let d3 = link.distanceMeters
            let fs = FreeSpace.pathLossDB(distanceMeters: d3, frequencyHz: f)
            let excess = d3 * d3 > bp2 ? 9 * log10(d3 * d3 / bp2) : 0
            #expect(link.pathType == .lineOfSight)
            #expect(abs(link.pathLossDB - (fs + excess)) < 0.01, "at \(x) m: \(link.pathLossDB) vs \(fs + excess)")
        }
        // 1.5 km: 9 log10(1500² / (101.3² + 18.5²)) = 20.9 dB above free space.
        let far = kernel.link(tx, to: MapPoint(x: 1502.5, y: 12.5))
        #expect(far.pathLossDB - FreeSpace.pathLossDB(distanceMeters: far.distanceMeters, frequencyHz: f) > 20)
    }
}
