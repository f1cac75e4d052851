import Foundation
import LitfassOptimise
import LitfassRadio

/// Seeded random instances: units and candidates in a square, log-distance path loss with
/// shadowing, optionally a few existing co-channel "macro" transmitters.
enum RandomInstance {
    static func make(seed: UInt64, units: Int, candidates: Int, existing: Int, sinrDB: Double?, sizeMeters: Double = 600,
                     minRSRPDBm: Double = -95, costSpread: Bool = true) throws -> CoverageProblem {
        var rng = SeededGenerator(seed: seed)
        func point() -> (Double, Double) { (Double.random(in: 0..<sizeMeters, using: &rng), Double.random(in: 0..<sizeMeters, using: &rng)) }
        let unitPoints = (0..<units).map { _ in point() }
        let weights = (0..<units).map { _ in Double(Int.random(in: 1...20, using: &rng)) }
        func rsrp(_ eirp: Double, _ a: (Double, Double), _ b: (Double, Double), _ shadow: Double) -> Double {
            let d = max(5, ((a.0 - b.0) * (a.0 - b.0) + (a.1 - b.1) * (a.1 - b.1)).squareRoot())
            return eirp - 35 - (40 + 35 * log10(d)) + shadow
        }
        func mw(_ dbm: Double) -> Double { pow(10, dbm / 10) }
        var columns: [SparseColumn] = []
        var costs: [Double] = []
        for _ in 0..<candidates {
            let c = point()
            var us: [Int32] = [], ps: [Double] = []
            for (i, u) in unitPoints.enumerated() {
                let r = rsrp(43, c, u, Double.random(in: -6...6, using: &rng))
                if r >= -140 { us.append(Int32(i)); ps.append(mw(r)) }
            }
            columns.append(SparseColumn(units: us, milliwatts: ps))
            costs.append(costSpread ? 23_000 + Double(Int.random(in: 0...40, using: &rng)) * 1_000 : 23_000)
        }
        var best = [Double](repeating: 0, count: units), total = [Double](repeating: 0, count: units)
        let macros = (0..<existing).map { _ in point() }
        for m in macros {
            for (i, u) in unitPoints.enumerated() {
                let p = mw(rsrp(60, m, u, Double.random(in: -6...6, using: &rng)) - 25)
                total[i] += p
                best[i] = max(best[i], p)
            }
        }
        return try CoverageProblem(weights: weights, costs: costs, columns: columns, existingBestMilliwatts: best,
                                   existingTotalMilliwatts: total, noiseMilliwatts: mw(-120.2), interfererLoad: 1,
                                   minRSRPMilliwatts: mw(minRSRPDBm), minSINR: sinrDB.map { pow(10, $0 / 10) })
    }

    /// Every subset respecting the limit: the true optimum of the true objective (small n only).
    static func bruteForce(_ problem: CoverageProblem, limit: SelectionLimit) -> (selection: [Int], covered: Double) {
        let n = problem.candidateCount
        var best: ([Int], Double) = ([], problem.coveredWeight(of: []))
        for mask in 1..<(1 << n) {
            let s = (0..<n).filter { mask & (1 << $0) != 0 }
            switch limit {
            case .count(let k): if s.count > k { continue }
            case .budget(let b): if problem.cost(of: s) > b { continue }
            }
            let v = problem.coveredWeight(of: s)
            if v > best.1 { best = (s, v) }
        }
        return best
    }
}
