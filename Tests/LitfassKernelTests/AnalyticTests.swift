import Foundation
import Testing
import LitfassGeo
import LitfassRadio
@testable import LitfassKernel

/// Analytic cases with exact expected values.
@Suite struct AnalyticTests {
    @Test func noBuildingsGivesFreeSpaceEverywhere() {
        let b = SceneBuilder(columns: 41, rows: 41)
        let tx = transmitter(at: b.point(20, 20), height: 5, range: 40)
        let w = PropagationKernel(scene: b.scene).compute(tx)
        var computed = 0
        for row in 0..<41 {
            for col in 0..<41 {
                let d2 = 2 * Double((col - 20) * (col - 20) + (row - 20) * (row - 20)).squareRoot()
                let l = value(w, w.pathLossDB, col, row)
                if d2 > 40 { #expect(l == .infinity); #expect(typeAt(w, col, row) == .none); continue }
                computed += 1
                let d3 = max(1, (d2 * d2 + 3.5 * 3.5).squareRoot())
                let expected = FreeSpace.pathLossDB(distanceMeters: d3, frequencyHz: 3.6e9)
                #expect(abs(Double(l) - expected) < 1e-3, "cell \(col),\(row)")
                #expect(typeAt(w, col, row) == .lineOfSight)
                #expect(abs(Double(value(w, w.receivedPowerDBm, col, row)) - (40 - expected)) < 1e-3)
            }
        }
        #expect(computed > 1200)
    }

    @Test func empiricalModelsUseTheirFormulaWithTheRayCastLOSState() {
        var b = SceneBuilder(columns: 81, rows: 21)
        b.building(columns: 40...41, rows: 0...20, height: 20, id: 0)
        for model in [PropagationModel.uma, .umi, .p1411, .freeSpace] {
            var settings = KernelSettings(model: model)
            settings.maxCornerTurns = 0
            let w = PropagationKernel(scene: b.scene, settings: settings).compute(transmitter(at: b.point(10, 10), height: 10, range: 200))
            // Cell (30, 10) is 40 m east of the transmitter, in sight; (70, 10) is 120 m east, behind the wall.
            let far = 120.0
            let d3f = (far * far + 8.5 * 8.5).squareRoot()
            let ln = Double(value(w, w.pathLossDB, 30, 10)), lf = Double(value(w, w.pathLossDB, 70, 10))
            #expect(typeAt(w, 30, 10) == .lineOfSight)
            #expect(typeAt(w, 70, 10) == .overRooftops)
            let (en, ef): (Double, Double)
            switch model {
            case .uma: (en, ef) = (PathLoss38901.umaLOS(distance2DMeters: 40, distance3DMeters: (1600 + 8.5 * 8.5).squareRoot(), frequencyHz: 3.6e9, bsHeightMeters: 10, utHeightMeters: 1.5),
                                   PathLoss38901.umaNLOS(distance2DMeters: far, distance3DMeters: d3f, frequencyHz: 3.6e9, bsHeightMeters: 10, utHeightMeters: 1.5))
            case .umi: (en, ef) = (PathLoss38901.umiLOS(distance2DMeters: 40, distance3DMeters: (1600 + 8.5 * 8.5).squareRoot(), frequencyHz: 3.6e9, bsHeightMeters: 10, utHeightMeters: 1.5),
                                   PathLoss38901.umiNLOS(distance2DMeters: far, distance3DMeters: d3f, frequencyHz: 3.6e9, bsHeightMeters: 10, utHeightMeters: 1.5))
            case .p1411: (en, ef) = (P1411.belowRooftopLossDB(distance3DMeters: (1600 + 8.5 * 8.5).squareRoot(), frequencyHz: 3.6e9, environment: .lineOfSight),
                                     P1411.belowRooftopLossDB(distance3DMeters: d3f, frequencyHz: 3.6e9, environment: .nlosUrbanHighRise))
            default: (en, ef) = (FreeSpace.pathLossDB(distanceMeters: (1600 + 8.5 * 8.5).squareRoot(), frequencyHz: 3.6e9),
                                 FreeSpace.pathLossDB(distanceMeters: d3f, frequencyHz: 3.6e9))
            }
            #expect(abs(ln - en) < 1e-3, "\(model) LOS")
            #expect(abs(lf - ef) < 1e-3, "\(model) NLOS")
        }
    }

    @Test func singleWallGivesKnifeEdgeLoss() {
        // Wall one cell thick across the whole scene at column 30, 10 m high; TX at column 10 (5 m), RX at
        // column 50 (1.5 m): d1 = d2 = 40 m, h = 10 − (5 − 3.5 · 40/80) = 6.75 m.
        var b = SceneBuilder(columns: 61, rows: 21)
        b.building(columns: 30...30, rows: 0...20, height: 10, id: 7)
        let tx = transmitter(at: b.point(10, 10), height: 5, range: 200)
        let kernel = PropagationKernel(scene: b.scene)
        let w = kernel.compute(tx)
        let lambda = 299_792_458.0 / 3.6e9
        let nu = KnifeEdge.fresnelParameter(heightAboveLineMeters: 6.75, distanceFromTxMeters: 40, distanceToRxMeters: 40,
                                            wavelengthMeters: lambda)
        let expected = FreeSpace.pathLossDB(distanceMeters: (80.0 * 80 + 3.5 * 3.5).squareRoot(), frequencyHz: 3.6e9)
            + KnifeEdge.lossDB(nu: nu)
        #expect(typeAt(w, 50, 10) == .overRooftops)
        #expect(abs(Double(value(w, w.pathLossDB, 50, 10)) - expected) < 1e-3)
        #expect(typeAt(w, 29, 10) == .lineOfSight)
        // The query agrees and names the wall.
        let link = kernel.link(tx, to: b.point(50, 10))
        #expect(abs(link.pathLossDB - expected) < 1e-3)
        #expect(link.blockingBuildings == [7])
        #expect(link.pathType == .overRooftops)
        #expect(kernel.link(tx, to: b.point(25, 10)).blockingBuildings.isEmpty)
    }

    @Test func indoorCellIgnoresItsOwnBuildingAndAddsEntryLoss() {
        // A 10-cell deep building; the receiver inside, 4 cells behind the facade, sees the TX through the facade.
        var b = SceneBuilder(columns: 61, rows: 21)
        b.building(columns: 30...39, rows: 0...20, height: 15, id: 3)
        let tx = transmitter(at: b.point(10, 10), height: 5, range: 200)
        let w = PropagationKernel(scene: b.scene).compute(tx)
        let d2 = 2.0 * 24, dz = 3.5
        let d3 = (d2 * d2 + dz * dz).squareRoot()
        let bel = P2109.lossDB(frequencyHz: 3.6e9, probabilityPercent: 50, elevationDeg: atan2(dz, d2) * 180 / .pi,
                               buildingClass: .traditional)
        #expect(typeAt(w, 34, 10) == .lineOfSight)
        #expect(abs(Double(value(w, w.pathLossDB, 34, 10)) - (FreeSpace.pathLossDB(distanceMeters: d3, frequencyHz: 3.6e9) + bel)) < 0.01)
        // Behind the building (outdoor), the building blocks.
        #expect(typeAt(w, 45, 10) == .overRooftops)
    }

    @Test func straightStreetCanyonIsLOSAlongTheStreetAndNLOSBehind() {
        // Street rows 20…29 between two building rows spanning the scene (no corners).
        var b = SceneBuilder(columns: 120, rows: 50)
        b.building(columns: 0...119, rows: 8...19, height: 18, id: 0)
        b.building(columns: 0...119, rows: 30...41, height: 18, id: 1)
        let tx = transmitter(at: b.point(10, 25), height: 5, range: 400)
        let w = PropagationKernel(scene: b.scene).compute(tx)
        for col in 11..<120 { #expect(typeAt(w, col, 25) == .lineOfSight) }
        for col in stride(from: 20, to: 120, by: 10) {
            #expect(typeAt(w, col, 3) == .overRooftops)      // behind the northern row
            #expect(typeAt(w, col, 46) == .overRooftops)     // behind the southern row
            #expect(value(w, w.pathLossDB, col, 46) > value(w, w.pathLossDB, col, 25) + 20)
        }
    }

    /// L-shaped street: street A (rows 10…19, columns 0…59) and street B (columns 50…59, rows 10…79);
    /// everything else 20 m buildings. The only convex corner is the inner one, node cell (50, 19).
    static func lShapedScene() -> SceneBuilder {
        var b = SceneBuilder(columns: 80, rows: 80)
        b.building(columns: 0...79, rows: 0...9, height: 20, id: 0)
        b.building(columns: 0...49, rows: 20...79, height: 20, id: 1)
        b.building(columns: 60...79, rows: 10...79, height: 20, id: 2)
        return b
    }

    @Test func lShapedStreetGivesTheAroundTheCornerPath() {
        let b = Self.lShapedScene()
        let tx = transmitter(at: b.point(10, 14), height: 5, range: 300)
        let kernel = PropagationKernel(scene: b.scene)
        let w = kernel.compute(tx)
        // Receiver at (50, 60), straight south of the node (50, 19).
        let l1 = 2 * (40.0 * 40 + 5 * 5).squareRoot(), l2 = 2 * 41.0
        let phi = CornerLossModel.turnAngleDegrees(fromX: 40, fromY: 5, toX: 0, toY: 1)
        #expect(abs(phi - (90 - atan(5.0 / 40) * 180 / .pi)) < 1e-9)
        let expected = FreeSpace.pathLossDB(distanceMeters: ((l1 + l2) * (l1 + l2) + 3.5 * 3.5).squareRoot(), frequencyHz: 3.6e9)
            + 20 * phi / 90
        #expect(typeAt(w, 50, 60) == .aroundCorners)
        #expect(abs(Double(value(w, w.pathLossDB, 50, 60)) - expected) < 1e-3)
        // Street A is in sight; all of street B beyond the corner is reached around it.
        #expect(typeAt(w, 40, 15) == .lineOfSight)
        for row in stride(from: 40, to: 80, by: 5) { for col in 50...59 { #expect(typeAt(w, col, row) == .aroundCorners) } }
        let link = kernel.link(tx, to: b.point(50, 60))
        #expect(link.pathType == .aroundCorners)
        #expect(abs(link.pathLossDB - expected) < 1e-3)
        #expect(link.blockingBuildings == [1])
        // Without corner paths the same cell is only reached over the rooftops, much weaker.
        var flat = KernelSettings(); flat.maxCornerTurns = 0
        let over = PropagationKernel(scene: b.scene, settings: flat).compute(tx)
        #expect(typeAt(over, 50, 60) == .overRooftops)
        #expect(value(over, over.pathLossDB, 50, 60) > Float(expected) + 10)
    }

    @Test func antennaGainFollowsPatternAzimuthAndFirstLeg() {
        let b = SceneBuilder(columns: 41, rows: 41)
        let pattern = AntennaPattern.sector3GPP()
        let tx = transmitter(at: b.point(20, 20), height: 5, range: 40, pattern: pattern, azimuth: 90, downtilt: 0)
        let w = PropagationKernel(scene: b.scene).compute(tx)
        // East (on boresight) versus north (90° off).
        let dE = 2.0 * 10, el = atan2(-3.5, dE) * 180 / .pi
        let gE = pattern.gainDBi(azimuthOffDeg: 0, elevationDeg: el, downtiltDeg: 0) - pattern.maxGainDBi
        let gN = pattern.gainDBi(azimuthOffDeg: -90, elevationDeg: el, downtiltDeg: 0) - pattern.maxGainDBi
        let l = Double(value(w, w.pathLossDB, 30, 20))
        #expect(abs(Double(value(w, w.receivedPowerDBm, 30, 20)) - (40 + gE - l)) < 1e-3)
        #expect(abs(Double(value(w, w.receivedPowerDBm, 20, 10)) - (40 + gN - l)) < 1e-3)
        #expect(gN < gE - 10)
    }
}
