import Foundation
import Testing
import LitfassRadio
@testable import LitfassKernel

/// The reach bound of the corner search while a level runs (`ReachBounds`, `MergeTarget.apply`): a candidate that becomes
/// a cell's best lowers the cell's reach to the reach of its own power, never below it (that would drop candidates that
/// beat it, and change results) and never where it did not win.
@Suite struct ReachBoundsTests {
    /// For outdoor candidates over the ranges a run meets, the reach a winner leaves (`reachLeft`, from its length and the
    /// sweep's ray factor) lies above the reach its power gives (`reachMeters`, as the levels compute it from a best
    /// power) by a margin, and less than 0.005 dB of path loss above it.
    @Test func aWinnersReachIsTheReachOfItsOwnPower() {
        var random = SeededGenerator(seed: 2026)
        for _ in 0..<5000 {
            let frequency = [700e6, 1.8e9, 2.1e9, 3.6e9].randomElement(using: &random)!
            let k = 4 * Double.pi * frequency / 299_792_458.0
            let eirp = Double.random(in: -10...70, using: &random)
            let gainDelta = Double.random(in: -40...0, using: &random)
            let turnLoss = Double.random(in: 0...80, using: &random), turn = Double.random(in: 0...30, using: &random)
            // From 5 cm (a transmitter at receiver height next to the cell, where free space is taken at 1 m) to 20 km.
            let d3 = exp(Double.random(in: log(0.05)...log(20_000.0), using: &random))
            // As `CornerSearch.sweep` computes them.
            let rayFactor = exp2((gainDelta - turnLoss - turn) * (log2(10.0) / 20)) * (1 + 1e-4)
            let power = eirp + gainDelta - (FreeSpace.pathLossDB(distanceMeters: max(d3, 1), frequencyHz: frequency) + turnLoss + turn)
            let exact = CornerSearch.reachMeters(excessDB: eirp - power, k: k)
            let left = CornerSearch.reachLeft(distance3DMeters: d3, rayFactor: rayFactor)
            // At least 5e-5 above (0.0004 dB): the margin covers the rounding of the Float powers the merge compares.
            #expect(Double(left) >= Double(exact) * (1 + 5e-5), "d3 \(d3) m, \(frequency) Hz, factor \(rayFactor)")
            #expect(20 * log10(Double(left) / Double(exact)) < 0.005, "d3 \(d3) m, \(frequency) Hz, factor \(rayFactor)")
        }
    }

    /// A level sweeps its sources strongest first (`CornerSearch.strongestFirst`): by gain − turn losses − 20 log10(length),
    /// ties in list order, every source once. Sweeping strong sources first lowers the reach bounds sooner; the order
    /// changes no result (the merges keep the best key, then the lower source id).
    @Test func sourcesAreSweptStrongestFirst() {
        func source(_ length: Double, turnLoss: Double = 0, gain: Double = 0) -> CornerSource {
            CornerSource(column: 0, row: 0, length: length, turnLoss: turnLoss, inX: 1, inY: 0, gainDelta: gain, id: 0)
        }
        let list = [source(200), source(50, turnLoss: 20), source(50), source(100, gain: -6.0206), source(0.5), source(200)]
        // Strengths: −46.02, −53.98, −33.98, −46.02 (100 m, −6.02 dB ≈ 200 m), 0 (lengths below 1 m count as 1 m), −46.02.
        let order = CornerSearch.strongestFirst(list)
        #expect(order.sorted() == Array(list.indices))
        #expect(order[0] == 4 && order[1] == 2 && order.last == 1)
        // Of the three at ≈ −46.02 dB, the two equal ones keep their list order; 100 m at −6.0206 dB is a hair weaker.
        #expect(Array(order[2...4]) == [0, 5, 3])
        #expect(CornerSearch.strongestFirst([]).isEmpty)
    }

    /// The merge lowers a cell's reach to the bound of the candidate that becomes its best, keeps it where the bound is
    /// larger, and leaves cells alone where the candidate loses or is indoors (bound +∞).
    @Test func theMergeLowersTheReachOnlyWhereACandidateWins() {
        let n = 6
        let power = UnsafeMutablePointer<Float>.allocate(capacity: n), loss = UnsafeMutablePointer<Float>.allocate(capacity: n)
        let dist = UnsafeMutablePointer<Float>.allocate(capacity: n), source = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        defer { power.deallocate(); loss.deallocate(); dist.deallocate(); source.deallocate() }
        power.initialize(repeating: -.infinity, count: n); source.initialize(repeating: .max, count: n)
        loss.initialize(repeating: .infinity, count: n); dist.initialize(repeating: .infinity, count: n)
        let reach = ReachBounds(count: n, threads: 2)
        defer { reach.deallocate() }
        for wi in 0..<n { reach[wi] = 500 }
        let merge = MergeTarget(power: power, loss: loss, dist: dist, source: source, reach: reach, keepDistance: false)

        var first = Candidates()
        first.append(0, power: -90, loss: 120, dist: 100, bound: 200)      // wins: 500 → 200
        first.append(1, power: -95, loss: 125, dist: 100, bound: 800)      // wins, but its bound is above the reach: kept
        first.append(2, power: -80, loss: 110, dist: 100, bound: .infinity) // indoors: kept
        merge.apply(first, sourceId: 7)
        #expect([reach[0], reach[1], reach[2], reach[3]] == [200, 500, 500, 500])

        var second = Candidates()
        second.append(0, power: -100, loss: 130, dist: 300, bound: 50)     // loses to −90 dBm: 200 stays
        second.append(3, power: -70, loss: 100, dist: 60, bound: 40)       // wins an empty cell: 500 → 40
        second.append(1, power: -95, loss: 125, dist: 100, bound: 30)      // equal power, higher source id: loses
        merge.apply(second, sourceId: 9)
        #expect([reach[0], reach[1], reach[3]] == [200, 500, 40])
        #expect(power[0] == -90 && source[0] == 7 && power[3] == -70 && source[3] == 9 && source[1] == 7)

        var third = Candidates()
        third.append(1, power: -95, loss: 125, dist: 100, bound: 30)       // equal power, lower source id: wins
        merge.apply(third, sourceId: 3)
        #expect(reach[1] == 30 && source[1] == 3)
    }
}
