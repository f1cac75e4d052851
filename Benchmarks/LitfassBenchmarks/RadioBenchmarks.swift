import LitfassRadio

/// Benchmarks of the radio models the kernel calls in its inner loop. Each evaluates a model over
/// about one million seeded random inputs prepared beforehand and returns the sum of the results.
func radioBenchmarks() -> [Benchmark] {
    let count = 1 << 20
    var g = SeededGenerator(seed: 20_261_122)
    var d2D = [Double](repeating: 0, count: count), d3DMacro = d2D, d3DMicro = d2D, f = d2D
    var a = d2D, b = d2D, c = d2D
    for i in 0..<count {
        let d = Double.random(in: 10...5000, using: &g)
        d2D[i] = d
        d3DMacro[i] = (d * d + 23.5 * 23.5).squareRoot()
        d3DMicro[i] = (d * d + 8.5 * 8.5).squareRoot()
        f[i] = Double.random(in: 0.7e9...6e9, using: &g)
        a[i] = Double.random(in: -20...40, using: &g)        // heights above line / azimuths
        b[i] = Double.random(in: 50...5000, using: &g)       // distances / elevations
        c[i] = Double.random(in: 50...5000, using: &g)
    }
    let azimuths = (0..<count).map { _ in Double.random(in: -180...180, using: &g) }
    let elevations = (0..<count).map { _ in Double.random(in: -90...20, using: &g) }
    let sector = AntennaPattern.sector3GPP(horizontalBeamwidthDeg: 65, verticalBeamwidthDeg: 10, maxGainDBi: 17)
    let work = Double(count)
    let target = "≥ 20 M evaluations/s"

    func run(_ body: (Int) -> Double) -> Double {
        var sum = 0.0
        for i in 0..<count { sum += body(i) }
        return sum
    }

    return [
        Benchmark(name: "radio.fspl", unit: "evaluations", workPerRun: work) {
            d3DMacro.withUnsafeBufferPointer { d in f.withUnsafeBufferPointer { f in
                run { FreeSpace.pathLossDB(distanceMeters: d[$0], frequencyHz: f[$0]) }
            } }
        },
        Benchmark(name: "radio.38901-uma-los", unit: "evaluations", workPerRun: work, target: target) {
            d2D.withUnsafeBufferPointer { d2 in d3DMacro.withUnsafeBufferPointer { d3 in f.withUnsafeBufferPointer { f in
                run { PathLoss38901.umaLOS(distance2DMeters: d2[$0], distance3DMeters: d3[$0], frequencyHz: f[$0]) }
            } } }
        },
        Benchmark(name: "radio.38901-uma-nlos", unit: "evaluations", workPerRun: work, target: target) {
            d2D.withUnsafeBufferPointer { d2 in d3DMacro.withUnsafeBufferPointer { d3 in f.withUnsafeBufferPointer { f in
                run { PathLoss38901.umaNLOS(distance2DMeters: d2[$0], distance3DMeters: d3[$0], frequencyHz: f[$0]) }
            } } }
        },
        Benchmark(name: "radio.38901-umi-los", unit: "evaluations", workPerRun: work, target: target) {
            d2D.withUnsafeBufferPointer { d2 in d3DMicro.withUnsafeBufferPointer { d3 in f.withUnsafeBufferPointer { f in
                run { PathLoss38901.umiLOS(distance2DMeters: d2[$0], distance3DMeters: d3[$0], frequencyHz: f[$0]) }
            } } }
        },
        Benchmark(name: "radio.38901-umi-nlos", unit: "evaluations", workPerRun: work, target: target) {
            d2D.withUnsafeBufferPointer { d2 in d3DMicro.withUnsafeBufferPointer { d3 in f.withUnsafeBufferPointer { f in
                run { PathLoss38901.umiNLOS(distance2DMeters: d2[$0], distance3DMeters: d3[$0], frequencyHz: f[$0]) }
            } } }
        },
        Benchmark(name: "radio.p1411-below-roof", unit: "evaluations", workPerRun: work, target: target) {
            d3DMicro.withUnsafeBufferPointer { d in f.withUnsafeBufferPointer { f in
                run { P1411.belowRooftopLossDB(distance3DMeters: d[$0], frequencyHz: f[$0],
                                               environment: ($0 & 1) == 0 ? .lineOfSight : .nlosUrbanHighRise) }
            } }
        },
        Benchmark(name: "radio.knife-edge", unit: "evaluations", workPerRun: work) {
            a.withUnsafeBufferPointer { h in b.withUnsafeBufferPointer { d1 in c.withUnsafeBufferPointer { d2 in
                f.withUnsafeBufferPointer { f in
                    run {
                        let nu = KnifeEdge.fresnelParameter(heightAboveLineMeters: h[$0], distanceFromTxMeters: d1[$0],
                                                            distanceToRxMeters: d2[$0], wavelengthMeters: 299_792_458.0 / f[$0])
                        return KnifeEdge.lossDB(nu: nu)
                    }
                }
            } } }
        },
        Benchmark(name: "radio.sector-gain", unit: "evaluations", workPerRun: work) {
            azimuths.withUnsafeBufferPointer { az in elevations.withUnsafeBufferPointer { el in
                run { sector.gainDBi(azimuthOffDeg: az[$0], elevationDeg: el[$0], downtiltDeg: 6) }
            } }
        },
    ]
}
