import LitfassCoverage
import Foundation

/// The per-unit state of one selection S, kept so that the gain of adding, dropping or swapping a
/// candidate costs O(units that candidate reaches): per unit the sum of the chosen candidates'
/// power, the strongest and second strongest chosen power, and whether the unit is covered.
///
/// After every change the touched units are recomputed from the unit's row in candidate order, so
/// the state of a selection never depends on the path that led to it (no drift from adding and
/// subtracting floating-point powers).
struct SelectionState: Sendable {
    let problem: CoverageProblem
    private(set) var selected: [Bool]
    private(set) var members: [Int] = []
    private(set) var sum: [Double]
    private(set) var best1: [Double]
    private(set) var best1Index: [Int32]
    private(set) var best2: [Double]
    private(set) var covered: [Bool]
    /// Total covered weight (existing network included).
    private(set) var value: Double
    /// Total cost of the chosen candidates [EUR].
    private(set) var cost: Double = 0

    init(problem: CoverageProblem) {
        self.problem = problem
        let n = problem.unitCount
        selected = [Bool](repeating: false, count: problem.candidateCount)
        sum = [Double](repeating: 0, count: n)
        best1 = [Double](repeating: 0, count: n)
        best1Index = [Int32](repeating: -1, count: n)
        best2 = [Double](repeating: 0, count: n)
        covered = problem.baselineCovered
        value = problem.baselineWeight
    }

    init(problem: CoverageProblem, selection: [Int]) {
        self.init(problem: problem)
        for j in selection { add(j) }
    }

    @inline(__always)
    private func isCovered(_ i: Int, best: Double, total: Double) -> Bool {
        CoverageProblem.covered(best: best, total: total, minRSRP: problem.minRSRPMilliwatts, minSINR: problem.minSINR,
                                load: problem.interfererLoad, noise: problem.noiseMilliwatts)
    }

    /// Change of the covered weight when `j` (not chosen) is added.
    func addGain(_ j: Int) -> Double {
        let column = problem.columns[j]
        let exBest = problem.existingBestMilliwatts, exTotal = problem.existingTotalMilliwatts, w = problem.weights
        var delta = 0.0
        for k in 0..<column.units.count {
            let i = Int(column.units[k]), p = column.milliwatts[k]
            let now = isCovered(i, best: max(exBest[i], best1[i], p), total: exTotal[i] + sum[i] + p)
            if now != covered[i] { delta += now ? w[i] : -w[i] }
        }
        return delta
    }

    /// Change of the covered weight when `j` (chosen) is dropped.
    func dropGain(_ j: Int) -> Double {
        let column = problem.columns[j]
        let exBest = problem.existingBestMilliwatts, exTotal = problem.existingTotalMilliwatts, w = problem.weights
        let id = Int32(j)
        var delta = 0.0
        for k in 0..<column.units.count {
            let i = Int(column.units[k]), p = column.milliwatts[k]
            let rest = best1Index[i] == id ? best2[i] : best1[i]
            let now = isCovered(i, best: max(exBest[i], rest), total: exTotal[i] + max(0, sum[i] - p))
            if now != covered[i] { delta += now ? w[i] : -w[i] }
        }
        return delta
    }

    /// Change of the covered weight when `out` (chosen) is replaced by `into` (not chosen).
    func swapGain(out: Int, into: Int) -> Double {
        let a = problem.columns[out], b = problem.columns[into]
        let exBest = problem.existingBestMilliwatts, exTotal = problem.existingTotalMilliwatts, w = problem.weights
        let id = Int32(out)
        var delta = 0.0
        var x = 0, y = 0
        let na = a.units.count, nb = b.units.count
        while x < na || y < nb {
            let ua = x < na ? a.units[x] : Int32.max, ub = y < nb ? b.units[y] : Int32.max
            let i: Int
            var pOut = 0.0, pIn = 0.0
            if ua == ub { i = Int(ua); pOut = a.milliwatts[x]; pIn = b.milliwatts[y]; x += 1; y += 1 }
            else if ua < ub { i = Int(ua); pOut = a.milliwatts[x]; x += 1 }
            else { i = Int(ub); pIn = b.milliwatts[y]; y += 1 }
            let rest = best1Index[i] == id ? best2[i] : best1[i]
            let now = isCovered(i, best: max(exBest[i], rest, pIn), total: exTotal[i] + max(0, sum[i] - pOut) + pIn)
            if now != covered[i] { delta += now ? w[i] : -w[i] }
        }
        return delta
    }

    /// Adds a candidate.
    mutating func add(_ j: Int) {
        guard !selected[j] else { return }
        selected[j] = true
        members.append(j)
        cost += problem.costs[j]
        refresh(problem.columns[j].units)
    }

    /// Drops a candidate.
    mutating func drop(_ j: Int) {
        guard selected[j] else { return }
        selected[j] = false
        members.removeAll { $0 == j }
        cost = members.reduce(0) { $0 + problem.costs[$1] }
        refresh(problem.columns[j].units)
    }

    /// Recomputes the touched units from their rows, in candidate order.
    private mutating func refresh(_ units: [Int32]) {
        let exBest = problem.existingBestMilliwatts, exTotal = problem.existingTotalMilliwatts, w = problem.weights
        for u in units {
            let i = Int(u)
            var s = 0.0, b1 = 0.0, b2 = 0.0
            var b1i: Int32 = -1
            for k in problem.rowStart[i]..<problem.rowStart[i + 1] {
                let c = problem.rowCandidate[k]
                guard selected[Int(c)] else { continue }
                let p = problem.rowMilliwatts[k]
                s += p
                if p > b1 { b2 = b1; b1 = p; b1i = c } else if p > b2 { b2 = p }
            }
            sum[i] = s
            best1[i] = b1
            best1Index[i] = b1i
            best2[i] = b2
            let now = isCovered(i, best: max(exBest[i], b1), total: exTotal[i] + s)
            if now != covered[i] {
                covered[i] = now
                value += now ? w[i] : -w[i]
            }
        }
    }

    /// Recomputes the covered weight from the flags (removes the rounding of incremental sums).
    mutating func resum() {
        value = zip(problem.weights, covered).reduce(0) { $0 + ($1.1 ? $1.0 : 0) }
        cost = members.sorted().reduce(0) { $0 + problem.costs[$1] }
    }

    /// Relaxed (pairwise) gain of every candidate given this selection: the weight of units it can
    /// cover (`relaxedThreshold`) that no chosen candidate can; 0 for chosen candidates.
    func relaxedGains(threads: Int) -> [Double] {
        let threshold = problem.relaxedThreshold, w = problem.weights
        let best = best1, chosen = selected, columns = problem.columns
        return parallelMap(problem.candidateCount, threads: threads) { j in
            guard !chosen[j] else { return 0 }
            var g = 0.0
            let column = columns[j]
            for k in 0..<column.units.count {
                let i = Int(column.units[k])
                if column.milliwatts[k] >= threshold[i], best[i] < threshold[i] { g += w[i] }
            }
            return g
        }
    }

    /// Relaxed gain of the selection itself (weight of units some chosen candidate can cover).
    var relaxedValue: Double {
        var g = 0.0
        for i in 0..<problem.unitCount where best1[i] >= problem.relaxedThreshold[i] { g += problem.weights[i] }
        return g
    }
}
