import Foundation
import Testing
@testable import LitfassRadio

/// Antenna patterns: omni, the 3GPP TR 38.901 Table 7.3-1 sector element and MSI import.
@Suite struct AntennaPatternTests {
    /// The fixture folder beside this file.
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
            .appendingPathComponent(name).path
    }

    @Test func omni() {
        #expect(AntennaPattern.omni.gainDBi(azimuthOffDeg: 123, elevationDeg: -40, downtiltDeg: 6) == 0)
        #expect(AntennaPattern.omni(gainDBi: 2.15).gainDBi(azimuthOffDeg: 0, elevationDeg: 0, downtiltDeg: 0) == 2.15)
    }

    /// Table 7.3-1: 8 dBi on boresight, −3 dB at half the beamwidth in each cut, A_m = 30 dB
    /// behind, the vertical cut clipped at SLA_V = 30 dB, and the total clipped at A_m.
    @Test func sectorCuts() {
        let p = AntennaPattern.sector3GPP()
        #expect(p.gainDBi(azimuthOffDeg: 0, elevationDeg: 0, downtiltDeg: 0) == 8)
        #expect(abs(p.gainDBi(azimuthOffDeg: 32.5, elevationDeg: 0, downtiltDeg: 0) - 5) < 1e-12)
        #expect(abs(p.gainDBi(azimuthOffDeg: -32.5, elevationDeg: 0, downtiltDeg: 0) - 5) < 1e-12)
        #expect(abs(p.gainDBi(azimuthOffDeg: 0, elevationDeg: 32.5, downtiltDeg: 0) - 5) < 1e-12)
        #expect(p.gainDBi(azimuthOffDeg: 180, elevationDeg: 0, downtiltDeg: 0) == 8 - 30)
        #expect(abs(p.gainDBi(azimuthOffDeg: 0, elevationDeg: -90, downtiltDeg: 0) - (8 - 12 * 8100.0 / 4225)) < 1e-12)
        #expect(AntennaPattern.sector3GPP(verticalBeamwidthDeg: 10).gainDBi(azimuthOffDeg: 0, elevationDeg: -90, downtiltDeg: 0) == 8 - 30)
        #expect(p.gainDBi(azimuthOffDeg: 100, elevationDeg: -60, downtiltDeg: 0) == 8 - 30)
        // Wrapping: 350° is −10°.
        #expect(abs(p.gainDBi(azimuthOffDeg: 350, elevationDeg: 0, downtiltDeg: 0)
                    - p.gainDBi(azimuthOffDeg: -10, elevationDeg: 0, downtiltDeg: 0)) < 1e-12)
        // Downtilt moves the peak below the horizon.
        #expect(p.gainDBi(azimuthOffDeg: 0, elevationDeg: -6, downtiltDeg: 6) == 8)
        #expect(abs(p.gainDBi(azimuthOffDeg: 0, elevationDeg: 0, downtiltDeg: 6) - (8 - 12 * 36.0 / 4225)) < 1e-12)
        // A narrower vertical beam: −3 dB at 5°.
        let narrow = AntennaPattern.sector3GPP(horizontalBeamwidthDeg: 65, verticalBeamwidthDeg: 10, maxGainDBi: 17)
        #expect(abs(narrow.gainDBi(azimuthOffDeg: 0, elevationDeg: -7, downtiltDeg: 2) - 14) < 1e-12)
    }

    /// Mechanical tilt as a rotation: on boresight it equals the simple tilt; off boresight the
    /// tilt acts less (at 90° azimuth a mechanical tilt hardly changes the elevation seen by the
    /// antenna), unlike an electrical tilt.
    @Test func mechanicalTilt() {
        let p = AntennaPattern.sector3GPP()
        for elevation in stride(from: -30.0, through: 10, by: 5) {
            let rotated = p.gainDBi(azimuthOffDeg: 0, elevationDeg: elevation, electricalTiltDeg: 0, mechanicalTiltDeg: 8)
            let simple = p.gainDBi(azimuthOffDeg: 0, elevationDeg: elevation, downtiltDeg: 8)
            #expect(abs(rotated - simple) < 1e-9, "elevation \(elevation)")
        }
        let side = p.gainDBi(azimuthOffDeg: 90, elevationDeg: 0, electricalTiltDeg: 0, mechanicalTiltDeg: 10)
        let sideElectrical = p.gainDBi(azimuthOffDeg: 90, elevationDeg: 0, electricalTiltDeg: 10, mechanicalTiltDeg: 0)
        #expect(side > sideElectrical)
        #expect(p.gainDBi(azimuthOffDeg: 0, elevationDeg: -10, electricalTiltDeg: 4, mechanicalTiltDeg: 6) == 8)
    }

    @Test func msiGoodFile() throws {
        let (pattern, header) = try AntennaPattern.loadMSI(path: Self.fixture("good_panel.msi"))
        #expect(header.name == "Litfass test panel 65-7")
        #expect(header.frequencyMHz == 1800)
        #expect(abs(header.gainDBi - 18.0) < 1e-12)   // 15.85 dBd + 2.15
        #expect(header.electricalTiltDeg == 2)
        #expect(header.otherKeys["H_WIDTH"] == "65")
        // Peak 2° below the horizon (the file's electrical tilt) on boresight.
        #expect(abs(pattern.gainDBi(azimuthOffDeg: 0, elevationDeg: -2, downtiltDeg: 0) - 18) < 1e-9)
        // Values of the file: horizontal 30° → 12·(30/65)² = 2.56 dB (2 decimals in the file).
        #expect(abs(pattern.gainDBi(azimuthOffDeg: 30, elevationDeg: -2, downtiltDeg: 0) - (18 - 2.56)) < 1e-9)
        #expect(abs(pattern.gainDBi(azimuthOffDeg: -30, elevationDeg: -2, downtiltDeg: 0) - (18 - 2.56)) < 1e-9)
        // Back: 25 dB horizontal + 12·(2/7)² = 0.98 dB vertical at elevation 0.
        #expect(abs(pattern.gainDBi(azimuthOffDeg: 180, elevationDeg: 0, downtiltDeg: 0) - (18 - 25 - 0.98)) < 1e-9)
        // Extra mechanical downtilt of 3° moves the peak to −5°.
        #expect(abs(pattern.gainDBi(azimuthOffDeg: 0, elevationDeg: -5, downtiltDeg: 3) - 18) < 1e-9)
        #expect(pattern.horizontalCutDBi.count == 360)
        #expect(pattern.horizontalCutDBi.max()! <= 18)
    }

    /// A 4-point file is interpolated linearly on the 1° grid, wrapping at 360°.
    @Test func msiSparseInterpolation() throws {
        let (pattern, _) = try AntennaPattern.loadMSI(path: Self.fixture("sparse.msi"))
        #expect(pattern.maxGainDBi == 10)
        #expect(abs(pattern.gainDBi(azimuthOffDeg: 45, elevationDeg: 0, downtiltDeg: 0) - 5) < 1e-9)
        #expect(abs(pattern.gainDBi(azimuthOffDeg: 315, elevationDeg: 0, downtiltDeg: 0) - 5) < 1e-9)
        #expect(abs(pattern.gainDBi(azimuthOffDeg: 45.5, elevationDeg: 0, downtiltDeg: 0) - (10 - 5.0556)) < 1e-3)
        // Vertical: 45° below the horizon → 15 dB; 45° above (315°) → 15 dB.
        #expect(abs(pattern.gainDBi(azimuthOffDeg: 0, elevationDeg: -45, downtiltDeg: 0) - (-5)) < 1e-9)
        #expect(abs(pattern.gainDBi(azimuthOffDeg: 0, elevationDeg: 45, downtiltDeg: 0) - (-5)) < 1e-9)
    }

    /// Each broken fixture gives an `AntennaPatternFileError` with the file, the line and the
    /// expectation.
    @Test(arguments: [
        ("missing_gain.msi", 0, "a GAIN line"),
        ("bad_point.msi", 5, "two numbers 'angle attenuation' (point 2 of 4 in HORIZONTAL)"),
        ("short_block.msi", 10, "4 lines of 'HORIZONTAL' angle and attenuation"),
        ("angle_out_of_range.msi", 7, "an angle in [0, 360) degrees"),
        ("bad_gain_unit.msi", 2, "gain unit dBi or dBd"),
        ("missing_vertical.msi", 0, "a 'VERTICAL n' block"),
    ])
    func msiBrokenFiles(file: String, line: Int, expected: String) {
        let path = Self.fixture(file)
        do {
            _ = try AntennaPattern.loadMSI(path: path)
            Issue.record("\(file) loaded without error")
        } catch let error as AntennaPatternFileError {
            #expect(error.path == path)
            #expect(error.line == line, "\(error)")
            #expect(error.expected == expected, "\(error)")
            #expect(error.description.hasPrefix(path))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    /// `maxGainDBi` over a box of directions is never below the gain anywhere in the box (sampled every 0.05°), and
    /// for the closed forms it is the gain at the box's direction nearest to boresight (reached by the samples).
    @Test(arguments: ["sector", "omni", "good_panel.msi", "sparse.msi"])
    func maxGainOverABoxBoundsTheGainInIt(kind: String) throws {
        let pattern: AntennaPattern
        switch kind {
        case "sector": pattern = .sector3GPP()
        case "omni": pattern = .omni(gainDBi: 6)
        default: pattern = try AntennaPattern.loadMSI(path: Self.fixture(kind)).pattern
        }
        var rng = SeededGenerator(seed: 17)
        for _ in 0..<60 {
            let a0 = Double.random(in: -400...400, using: &rng), aw = Double.random(in: 0...40, using: &rng)
            let e0 = Double.random(in: -60...20, using: &rng), ew = Double.random(in: 0...15, using: &rng)
            let tilt = Double.random(in: 0...10, using: &rng)
            let bound = pattern.maxGainDBi(azimuthOffDeg: a0...(a0 + aw), elevationDeg: e0...(e0 + ew), downtiltDeg: tilt)
            var sampled = -Double.infinity
            for i in 0...Int(aw / 0.05) {
                for j in 0...Int(ew / 0.05) {
                    let g = pattern.gainDBi(azimuthOffDeg: a0 + Double(i) * 0.05, elevationDeg: e0 + Double(j) * 0.05, downtiltDeg: tilt)
                    sampled = max(sampled, g)
                }
            }
            #expect(bound >= sampled - 1e-9, "\(kind) az \(a0)+\(aw) el \(e0)+\(ew): bound \(bound) < \(sampled)")
            if kind == "sector" || kind == "omni" {
                #expect(bound - sampled < 0.05, "\(kind): bound \(bound) far above \(sampled)")
            }
        }
        // Boxes containing boresight give the maximum; a full turn of azimuth too.
        #expect(pattern.maxGainDBi(azimuthOffDeg: -5...5, elevationDeg: -20...20, downtiltDeg: 0) >= pattern.gainDBi(azimuthOffDeg: 0, elevationDeg: 0, downtiltDeg: 0))
        #expect(pattern.maxGainDBi(azimuthOffDeg: 10...400, elevationDeg: -90...90, downtiltDeg: 3) >= pattern.maxGainDBi - 1e-9 || kind.hasSuffix(".msi"))
    }

    @Test func msiMissingFile() {
        #expect(throws: AntennaPatternFileError.self) { try AntennaPattern.loadMSI(path: Self.fixture("nope.msi")) }
    }
}
