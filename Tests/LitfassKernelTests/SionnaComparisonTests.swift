import Foundation
import Testing
import LitfassGeo
import LitfassRadio
import _LitfassTestSupport
@testable import LitfassKernel

/// The kernel against the ray tracer Sionna RT on three scenes of our own (flat ground, buildings as boxes, an
/// isotropic small cell at 4.5 m, 3.6 GHz, receivers at 1.5 m, 2 m cells). The Sionna radio maps were computed
/// once by `scripts/sionna/run_reference.py` and committed with their settings in
/// `Tests/Fixtures/reference/sionna/` (SOURCES.md there); nothing here needs Python or Sionna.
///
/// Per scene two maps: everything Sionna's radio-map solver models (line of sight, specular reflections up to five
/// bounces, first-order diffraction; power summed over the paths) and line of sight alone. A cell is compared when
/// it is outdoors, at least `minimumDistanceMeters` from the transmitter, and both the kernel and Sionna's full map
/// have a value; it counts as line of sight when Sionna's line-of-sight map reaches it. The figures are the mean of
/// kernel − Sionna path gain and the RMSE after removing that mean (docs/ACCURACY.md reports them). The tests
/// hold today's line-of-sight figures within `toleranceDB` (out of sight: the mean within 1 dB, the RMSE at most
/// 1 dB worse), so a change of the kernel that moves them fails here and must be re-measured and documented.
///
/// With `LITFASS_SIONNA_KERNEL_MAPS=DIR` set, the test also writes the kernel's maps (`<scene>_kernel_db.csv`, the
/// fixtures' format) into DIR for `scripts/sionna/plot_comparison.py`.
@Suite struct SionnaComparisonTests {
    /// Cells closer than this to the transmitter (horizontally) are left out: Sionna averages the power over the
    /// 2 m cell, the kernel evaluates the cell centre, and near the antenna the two differ by the cell's gradient.
    static let minimumDistanceMeters = 10.0
    /// How far a line-of-sight figure may move from today's value before the test fails [dB].
    static let toleranceDB = 0.3

    struct Box { let x0, y0, x1, y1, height: Double }

    struct SionnaScene {
        let name: String
        let widthMeters, heightMeters, cellMeters: Double
        let tx: MapPoint
        let txHeightMeters, rxHeightMeters, frequencyHz: Double
        var boxes: [Box] = []
        var columns: Int { Int((widthMeters / cellMeters).rounded()) }
        var rows: Int { Int((heightMeters / cellMeters).rounded()) }
    }

    /// Mean and bias-removed RMSE of kernel − Sionna path gain over a set of cells.
    struct Stats: CustomStringConvertible {
        var count = 0
        var meanDB = Double.nan
        var biasRemovedRMSEDB = Double.nan
        init(_ differences: [Double]) {
            count = differences.count
            guard count > 0 else { return }
            meanDB = differences.reduce(0, +) / Double(count)
            biasRemovedRMSEDB = (differences.reduce(0) { $0 + ($1 - meanDB) * ($1 - meanDB) } / Double(count)).squareRoot()
        }
        var description: String { String(format: "n %5d  mean %+6.2f dB  RMSE(bias removed) %5.2f dB", count, meanDB, biasRemovedRMSEDB) }
    }

    struct Comparison {
        /// Against the full map, on cells in Sionna's line of sight / out of it.
        var los: Stats, nlos: Stats
        /// The NLOS cells by the kernel's path: over rooftops, around corners (and those the kernel still calls line of
        /// sight).
        var nlosOverRooftops: Stats, nlosAroundCorners: Stats, nlosKernelLOS: Stats
        /// The kernel's line-of-sight cells against Sionna's line-of-sight-only map (free space there).
        var losOnly: Stats
        /// Outdoor cells (beyond the minimum distance) Sionna's full map reaches, and those of them the kernel gives
        /// no value.
        var sionnaReached: Int, kernelMissing: Int
        /// Outdoor cells (beyond the minimum distance) the kernel gives a value that Sionna's full map does not reach.
        var kernelOnly: Int
        /// Cells in Sionna's line of sight, and those of them the kernel also classes as line of sight; cells the kernel
        /// classes as line of sight that Sionna's line-of-sight map does not reach.
        var sionnaLOS: Int, bothLOS: Int, kernelOnlyLOS: Int
    }

    static func directory() -> URL { TestPaths.reference("sionna") }

    static func csvRows(_ file: String) throws -> [[Substring]] {
        let text = try String(contentsOf: directory().appendingPathComponent(file), encoding: .utf8)
        return text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    }

    static func scenes() throws -> [String: SionnaScene] {
        var result: [String: SionnaScene] = [:]
        for row in try csvRows("transmitters.csv").dropFirst() {
            let v = row.dropFirst().map { Double($0)! }
            result[String(row[0])] = SionnaScene(name: String(row[0]), widthMeters: v[0], heightMeters: v[1], cellMeters: v[2],
                                                 tx: MapPoint(x: v[3], y: v[4]), txHeightMeters: v[5], rxHeightMeters: v[6],
                                                 frequencyHz: v[7])
        }
        for row in try csvRows("scenes.csv").dropFirst() {
            let v = row.dropFirst(2).map { Double($0)! }
            result[String(row[0])]!.boxes.append(Box(x0: v[0], y0: v[1], x1: v[2], y1: v[3], height: v[4]))
        }
        return result
    }

    /// A Sionna map as path gain [dB] per cell, row-major, row 0 north; nil where no ray arrived.
    static func sionnaMap(_ scene: SionnaScene, _ suffix: String) throws -> [Double?] {
        let rows = try csvRows("\(scene.name)_\(suffix).csv")
        #expect(rows.count == scene.rows)
        var values: [Double?] = []
        for row in rows {
            #expect(row.count == scene.columns)
            values += row.map { $0.isEmpty ? nil : Double($0)! }
        }
        return values
    }

    /// The scene on the kernel's raster: a cell is a building cell when it lies inside a box (the boxes' edges are
    /// on cell edges).
    static func builder(_ s: SionnaScene) -> SceneBuilder {
        var b = SceneBuilder(columns: s.columns, rows: s.rows, cellSize: s.cellMeters)
        for (i, box) in s.boxes.enumerated() {
            let c0 = Int((box.x0 / s.cellMeters).rounded()), c1 = Int((box.x1 / s.cellMeters).rounded()) - 1
            let r0 = Int(((s.heightMeters - box.y1) / s.cellMeters).rounded())
            let r1 = Int(((s.heightMeters - box.y0) / s.cellMeters).rounded()) - 1
            b.building(columns: c0...c1, rows: r0...r1, height: Float(box.height), id: Int32(i))
        }
        return b
    }

    /// - Parameter model: the kernel's model (`.rayCast`, its default; the empirical ones serve as a baseline).
    static func compare(_ s: SionnaScene, model: PropagationModel = .rayCast) throws -> Comparison {
        let full = try sionnaMap(s, "pathgain_db"), losMap = try sionnaMap(s, "los_pathgain_db")
        let b = builder(s)
        let kernel = PropagationKernel(scene: b.scene, settings: KernelSettings(receiverHeightMeters: s.rxHeightMeters, model: model))
        let tx = Transmitter(id: "sionna", position: s.tx, antennaHeightMeters: s.txHeightMeters, frequencyHz: s.frequencyHz,
                             eirpDBm: 0, pattern: .omni, azimuthDegrees: 0, downtiltDegrees: 0, maxRangeMeters: 400)
        let w = kernel.compute(tx)
        if model == .rayCast, let directory = ProcessInfo.processInfo.environment["LITFASS_SIONNA_KERNEL_MAPS"] {
            // The kernel's map in the fixtures' format, for scripts/sionna/plot_comparison.py.
            let lines = (0..<s.rows).map { row in
                (0..<s.columns).map { col in
                    let loss = value(w, w.pathLossDB, col, row)
                    return loss.isFinite && b.index[row * s.columns + col] < 0 ? String(format: "%.2f", -loss) : ""
                }.joined(separator: ",")
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: "\(directory)/\(s.name)_kernel_db.csv", atomically: true, encoding: .utf8)
        }
        var los: [Double] = [], nlos: [Double] = [], losOnly: [Double] = []
        var nlosByType: [PathType: [Double]] = [:]
        var c = Comparison(los: Stats([]), nlos: Stats([]), nlosOverRooftops: Stats([]), nlosAroundCorners: Stats([]),
                           nlosKernelLOS: Stats([]), losOnly: Stats([]), sionnaReached: 0, kernelMissing: 0, kernelOnly: 0,
                           sionnaLOS: 0, bothLOS: 0, kernelOnlyLOS: 0)
        for row in 0..<s.rows {
            for col in 0..<s.columns {
                let i = row * s.columns + col
                let p = b.point(col, row)
                guard b.index[i] < 0, p.distance(to: s.tx) >= minimumDistanceMeters else { continue }
                let loss = Double(value(w, w.pathLossDB, col, row))
                let kernelGain: Double? = loss.isFinite ? -loss : nil
                let kernelLOS = typeAt(w, col, row) == .lineOfSight
                if losMap[i] != nil {
                    c.sionnaLOS += 1
                    if kernelLOS { c.bothLOS += 1 }
                } else if kernelLOS {
                    c.kernelOnlyLOS += 1
                }
                if let g = kernelGain, kernelLOS, let l = losMap[i] { losOnly.append(g - l) }
                guard let reference = full[i] else {
                    if kernelGain != nil { c.kernelOnly += 1 }
                    continue
                }
                c.sionnaReached += 1
                guard let g = kernelGain else { c.kernelMissing += 1; continue }
                if losMap[i] != nil {
                    los.append(g - reference)
                } else {
                    nlos.append(g - reference)
                    nlosByType[typeAt(w, col, row), default: []].append(g - reference)
                }
            }
        }
        c.los = Stats(los); c.nlos = Stats(nlos); c.losOnly = Stats(losOnly)
        c.nlosOverRooftops = Stats(nlosByType[.overRooftops] ?? [])
        c.nlosAroundCorners = Stats(nlosByType[.aroundCorners] ?? [])
        c.nlosKernelLOS = Stats(nlosByType[.lineOfSight] ?? [])
        return c
    }

    /// Today's figures per scene: (LOS mean, LOS bias-removed RMSE, NLOS mean, NLOS bias-removed RMSE) [dB].
    static let expected: [String: (losMean: Double, losRMSE: Double, nlosMean: Double, nlosRMSE: Double)] = [
        "canyon": (-4.85, 3.34, 0.95, 5.14),
        "square": (-1.28, 1.44, 27.39, 9.19),
        "grid": (-3.95, 2.31, 18.80, 8.83),
    ]

    @Test(arguments: ["canyon", "square", "grid"])
    func kernelAgainstSionna(scene name: String) throws {
        let s = try #require(try Self.scenes()[name])
        let c = try Self.compare(s)
        print("""
            Sionna \(name): LOS  \(c.los)
            Sionna \(name): NLOS \(c.nlos)
            Sionna \(name): NLOS, kernel over rooftops \(c.nlosOverRooftops)
            Sionna \(name): NLOS, kernel around corners \(c.nlosAroundCorners)
            Sionna \(name): NLOS, kernel line of sight \(c.nlosKernelLOS)
            Sionna \(name): kernel LOS vs Sionna LOS-only \(c.losOnly)
            Sionna \(name): Sionna reaches \(c.sionnaReached) outdoor cells, kernel misses \(c.kernelMissing), kernel-only \(c.kernelOnly); \
            Sionna LOS \(c.sionnaLOS), kernel LOS too \(c.bothLOS), kernel-only LOS \(c.kernelOnlyLOS)
            """)
        // Baseline, printed only: TR 38.901 UMi street canyon with the kernel's line-of-sight state (its formula
        // extrapolated from the TR's 10 m to the 4.5 m antenna).
        let umi = try Self.compare(s, model: .umi)
        print("Sionna \(name): 38.901 UMi baseline: LOS \(umi.los); NLOS \(umi.nlos)")
        let e = try #require(Self.expected[name])
        #expect(c.los.count > 500)
        #expect(abs(c.los.meanDB - e.losMean) <= Self.toleranceDB, "LOS mean \(c.los.meanDB)")
        #expect(abs(c.los.biasRemovedRMSEDB - e.losRMSE) <= Self.toleranceDB, "LOS RMSE \(c.los.biasRemovedRMSEDB)")
        // Out of sight the kernel is far from the tracer (docs/ACCURACY.md); a change of the corner paths should move
        // it, and then these figures are re-measured: the mean within 1 dB, the RMSE not worse by more than 1 dB.
        #expect(abs(c.nlos.meanDB - e.nlosMean) <= 1, "NLOS mean \(c.nlos.meanDB)")
        #expect(c.nlos.biasRemovedRMSEDB <= e.nlosRMSE + 1, "NLOS RMSE \(c.nlos.biasRemovedRMSEDB)")
    }

    /// Flat ground, no buildings, the small cell at 4.5 m and receivers at 1.5 m every 2 m from 10 to 600 m
    /// (`open_line.csv`, Sionna's path solver: the direct and the ground-reflected path added with their phases over
    /// the 90 MHz n78 carrier). Per distance band: kernel − Sionna [dB] against the direct path alone (free space:
    /// the kernel's geometry and P.525 loss), against the coherent band-averaged sum, and against the power sum.
    static func openLine() throws -> [(distance: Double, kernel: Double, coherent: Double, incoherent: Double, direct: Double)] {
        let rows = try csvRows("open_line.csv").dropFirst().map { $0.map { Double($0)! } }
        #expect(rows.count == 296)
        let f = 3.6e9
        let b = SceneBuilder(columns: 305, rows: 3, cellSize: 2)
        let kernel = PropagationKernel(scene: b.scene, settings: KernelSettings(receiverHeightMeters: 1.5))
        let tx = Transmitter(id: "open", position: MapPoint(x: 1, y: 3), antennaHeightMeters: 4.5, frequencyHz: f, eirpDBm: 0,
                             pattern: .omni, azimuthDegrees: 0, downtiltDegrees: 0, maxRangeMeters: 700)
        return rows.map { r in
            let link = kernel.link(tx, to: MapPoint(x: 1 + r[0], y: 3))
            #expect(link.pathType == .lineOfSight)
            return (r[0], -link.pathLossDB, r[1], r[2], r[3])
        }
    }

    /// Today's figures of the open line per distance band: mean of kernel − Sionna [dB] against the direct path, the
    /// coherent sum and the power sum, and the bias-removed RMSE against the coherent sum.
    static let expectedOpenLine: [(range: ClosedRange<Double>, direct: Double, coherent: Double, incoherent: Double, coherentRMSE: Double)] = [
        (10...84, 0.00, 0.42, -0.55, 2.60),
        (86...324, -6.47, -7.73, -8.53, 6.43),
        (326...600, -13.22, -17.73, -15.81, 0.70),
    ]

    @Test func openGroundAgainstTheTwoRayPaths() throws {
        let line = try Self.openLine()
        for e in Self.expectedOpenLine {
            let part = line.filter { e.range.contains($0.distance) }
            let direct = Stats(part.map { $0.kernel - $0.direct }), coherent = Stats(part.map { $0.kernel - $0.coherent })
            let incoherent = Stats(part.map { $0.kernel - $0.incoherent })
            print("Sionna open \(e.range): direct path \(direct); coherent \(coherent); power sum \(incoherent)")
            #expect(abs(direct.meanDB - e.direct) <= Self.toleranceDB, "direct \(direct.meanDB)")
            #expect(abs(coherent.meanDB - e.coherent) <= Self.toleranceDB, "coherent \(coherent.meanDB)")
            #expect(abs(incoherent.meanDB - e.incoherent) <= Self.toleranceDB, "power sum \(incoherent.meanDB)")
            #expect(abs(coherent.biasRemovedRMSEDB - e.coherentRMSE) <= Self.toleranceDB, "coherent RMSE \(coherent.biasRemovedRMSEDB)")
        }
        // Up to the breakpoint d'_BP = 84 m the kernel is free space, as Sionna's direct path: only the float rounding
        // of the two differs.
        for p in line where p.distance <= 84 { #expect(abs(p.kernel - p.direct) < 0.02, "at \(p.distance) m") }
    }

    /// Two cells in the shadow of the block of `square` that docs/ACCURACY.md quotes: a path bending 6.8° round the
    /// block's north-west corner and one bending 20°, 1 m off the north wall. The kernel's corner turn costs
    /// 20 dB · φ/90°; Sionna's diffraction costs far more. Holds the kernel's values within `toleranceDB`.
    @Test func shadowOfTheBlock() throws {
        let s = try #require(try Self.scenes()["square"])
        let b = Self.builder(s)
        let full = try Self.sionnaMap(s, "pathgain_db")
        let kernel = PropagationKernel(scene: b.scene, settings: KernelSettings(receiverHeightMeters: s.rxHeightMeters))
        let tx = Transmitter(id: "sionna", position: s.tx, antennaHeightMeters: s.txHeightMeters, frequencyHz: s.frequencyHz,
                             eirpDBm: 0, pattern: .omni, azimuthDegrees: 0, downtiltDegrees: 0, maxRangeMeters: 400)
        for (x, y, expectedKernel, expectedSionna) in [(125.0, 109.0, -84.82, -105.36), (141.0, 101.0, -88.94, -133.82)] {
            let link = kernel.link(tx, to: MapPoint(x: x, y: y))
            let (col, row) = try #require(b.grid.cell(containing: MapPoint(x: x, y: y)))
            let sionna = try #require(full[row * s.columns + col])
            print(String(format: "Sionna square shadow (%.0f m, %.0f m): kernel %.2f dB (%@), Sionna %.2f dB", x, y, -link.pathLossDB,
                         "\(link.pathType)", sionna))
            #expect(link.pathType == .aroundCorners)
            #expect(abs(-link.pathLossDB - expectedKernel) <= Self.toleranceDB, "kernel at \(x), \(y): \(-link.pathLossDB)")
            #expect(sionna == expectedSionna)
        }
    }
}
