import Foundation

/// The received power of one candidate at the demand units it reaches: unit indices ascending,
/// power per resource element in milliwatts (linear), both of the same length.
public struct SparseColumn: Sendable, Hashable {
    /// Demand-unit indices, strictly ascending.
    public var units: [Int32]
    /// RSRP at those units [mW per resource element].
    public var milliwatts: [Double]

    /// A column from unit indices (strictly ascending) and powers [mW].
    public init(units: [Int32], milliwatts: [Double]) {
        self.units = units
        self.milliwatts = milliwatts
    }

    /// Number of units the candidate reaches.
    public var count: Int { units.count }
}

/// How many candidates may be chosen: at most `count`, or any number whose total cost stays
/// within `budget` [EUR].
public enum SelectionLimit: Sendable, Hashable, CustomStringConvertible {
    /// At most K candidates, cost ignored for the choice (reported).
    case count(Int)
    /// Total cost (equipment, mounting, fibre backhaul) at most this [EUR].
    case budget(Double)

    /// "at most 3 sites", "budget 100000 EUR".
    public var description: String {
        switch self {
        case .count(let k): return "at most \(k) site\(k == 1 ? "" : "s")"
        case .budget(let b): return String(format: "budget %.0f EUR", b)
        }
    }
}

/// The budgeted maximum-coverage problem with radio thresholds, in the abstract: demand units with
/// weights, candidates with costs and sparse RSRP columns, and the network already live.
///
/// A unit counts as covered by a selection S when its best server among the existing sectors and
/// the chosen candidates has RSRP ≥ `minRSRPMilliwatts` and, when `minSINR` is set, a downlink SINR
/// ≥ `minSINR` against all other co-channel contributions (existing and chosen, scaled by
/// `interfererLoad`) plus noise. Units the existing network covers alone are not credited to the
/// candidates ("coverage that exists is not credited twice"); units it stops covering because the
/// new sites interfere count against them.
///
/// With the SINR condition the objective is neither monotone nor submodular (a new site adds
/// interference everywhere it reaches); without it, it is weighted maximum coverage, monotone and
/// submodular. See `relaxedThreshold` for the submodular upper-bounding relaxation.
public struct CoverageProblem: Sendable {
    /// Demand weight per unit (≥ 0).
    public var weights: [Double]
    /// Cost per candidate [EUR] (≥ 0).
    public var costs: [Double]
    /// Per candidate: the units it reaches and its RSRP there.
    public var columns: [SparseColumn]
    /// Per unit: the strongest existing co-channel sector's RSRP [mW]; 0 without one.
    public var existingBestMilliwatts: [Double]
    /// Per unit: the sum of every existing co-channel sector's RSRP [mW], the best included.
    public var existingTotalMilliwatts: [Double]
    /// Thermal noise per resource element at the UE [mW].
    public var noiseMilliwatts: Double
    /// Share of resource elements the interferers occupy (1 = fully loaded).
    public var interfererLoad: Double
    /// RSRP threshold [mW per resource element].
    public var minRSRPMilliwatts: Double
    /// SINR threshold (linear); nil when only RSRP counts.
    public var minSINR: Double?

    /// Transposed columns: per unit, the candidates reaching it (ascending) and their power.
    let rowStart: [Int]
    let rowCandidate: [Int32]
    let rowMilliwatts: [Double]
    /// Per unit: covered by the existing network alone.
    public let baselineCovered: [Bool]
    /// Per unit: the RSRP a single candidate needs there to be able to cover it at all [mW]
    /// (+∞ for units the existing network covers already): at least the RSRP threshold, at least the
    /// existing best server, and, with the SINR condition, at least γ·(load·existing total + noise).
    /// A candidate j "can cover" unit i when its power there reaches this; the covering relation is
    /// pairwise, so the relaxed objective built on it is weighted maximum coverage (submodular) and
    /// bounds the true objective from above.
    public let relaxedThreshold: [Double]

    /// Checks and indexes a problem.
    /// - Throws: `OptimiseError.invalidProblem` naming the array or the candidate that is wrong.
    public init(weights: [Double], costs: [Double], columns: [SparseColumn], existingBestMilliwatts: [Double]? = nil,
                existingTotalMilliwatts: [Double]? = nil, noiseMilliwatts: Double, interfererLoad: Double = 1,
                minRSRPMilliwatts: Double, minSINR: Double?) throws {
        let n = weights.count
        let existingBest = existingBestMilliwatts ?? [Double](repeating: 0, count: n)
        let existingTotal = existingTotalMilliwatts ?? [Double](repeating: 0, count: n)
        guard costs.count == columns.count else {
            throw OptimiseError.invalidProblem("\(costs.count) costs for \(columns.count) candidate columns")
        }
        guard existingBest.count == n, existingTotal.count == n else {
            throw OptimiseError.invalidProblem("existing-network arrays have \(existingBest.count)/\(existingTotal.count) values for \(n) demand units")
        }
        if let i = weights.firstIndex(where: { !($0 >= 0) || !$0.isFinite }) {
            throw OptimiseError.invalidProblem("demand unit \(i) has weight \(weights[i]); weights must be finite and ≥ 0")
        }
        if let j = costs.firstIndex(where: { !($0 >= 0) || !$0.isFinite }) {
            throw OptimiseError.invalidProblem("candidate \(j) has cost \(costs[j]); costs must be finite and ≥ 0")
        }
        guard noiseMilliwatts > 0, interfererLoad >= 0, minRSRPMilliwatts > 0 else {
            throw OptimiseError.invalidProblem("noise and the RSRP threshold must be positive, the interferer load ≥ 0")
        }
        if let minSINR, !(minSINR > 0) { throw OptimiseError.invalidProblem("the SINR threshold must be positive (linear)") }
        var counts = [Int](repeating: 0, count: n + 1)
        for (j, column) in columns.enumerated() {
            guard column.units.count == column.milliwatts.count else {
                throw OptimiseError.invalidProblem("candidate \(j): \(column.units.count) units but \(column.milliwatts.count) powers")
            }
            var previous: Int32 = -1
            for (u, p) in zip(column.units, column.milliwatts) {
                guard u > previous, Int(u) < n else {
                    throw OptimiseError.invalidProblem("candidate \(j): unit indices must ascend within 0..<\(n), found \(u) after \(previous)")
                }
                guard p >= 0, p.isFinite else { throw OptimiseError.invalidProblem("candidate \(j): power \(p) at unit \(u)") }
                previous = u
                counts[Int(u) + 1] += 1
            }
        }
        for i in 0..<n { counts[i + 1] += counts[i] }
        var next = counts
        var rowCandidate = [Int32](repeating: 0, count: counts[n])
        var rowPower = [Double](repeating: 0, count: counts[n])
        for (j, column) in columns.enumerated() {
            for (u, p) in zip(column.units, column.milliwatts) {
                let k = next[Int(u)]
                rowCandidate[k] = Int32(j)
                rowPower[k] = p
                next[Int(u)] += 1
            }
        }
        self.weights = weights
        self.costs = costs
        self.columns = columns
        self.existingBestMilliwatts = existingBest
        self.existingTotalMilliwatts = existingTotal
        self.noiseMilliwatts = noiseMilliwatts
        self.interfererLoad = interfererLoad
        self.minRSRPMilliwatts = minRSRPMilliwatts
        self.minSINR = minSINR
        self.rowStart = counts
        self.rowCandidate = rowCandidate
        self.rowMilliwatts = rowPower
        var baseline = [Bool](repeating: false, count: n)
        var relaxed = [Double](repeating: .infinity, count: n)
        for i in 0..<n {
            let best = existingBest[i], total = existingTotal[i]
            baseline[i] = Self.covered(best: best, total: total, minRSRP: minRSRPMilliwatts, minSINR: minSINR,
                                       load: interfererLoad, noise: noiseMilliwatts)
            guard !baseline[i] else { continue }
            var need = max(minRSRPMilliwatts, best)
            if let minSINR { need = max(need, minSINR * (interfererLoad * total + noiseMilliwatts)) }
            relaxed[i] = need
        }
        self.baselineCovered = baseline
        self.relaxedThreshold = relaxed
    }

    /// Number of demand units.
    public var unitCount: Int { weights.count }
    /// Number of candidates.
    public var candidateCount: Int { columns.count }
    /// Σ weights.
    public var totalWeight: Double { weights.reduce(0, +) }
    /// Weight the existing network covers alone.
    public var baselineWeight: Double { zip(weights, baselineCovered).reduce(0) { $0 + ($1.1 ? $1.0 : 0) } }

    /// Whether a unit with serving RSRP `best` and total co-channel power `total` (serving included)
    /// meets the thresholds.
    @inlinable
    static func covered(best: Double, total: Double, minRSRP: Double, minSINR: Double?, load: Double, noise: Double) -> Bool {
        guard best >= minRSRP else { return false }
        guard let minSINR else { return true }
        return best >= minSINR * (load * max(0, total - best) + noise)
    }

    /// The covered weight of a selection, evaluated from scratch (the reference the incremental
    /// evaluator must agree with).
    /// - Returns: total covered weight (existing network included).
    public func coveredWeight(of selection: [Int]) -> Double {
        var chosen = [Bool](repeating: false, count: candidateCount)
        for j in selection { chosen[j] = true }
        var value = 0.0
        for i in 0..<unitCount {
            var best = existingBestMilliwatts[i], total = existingTotalMilliwatts[i]
            for k in rowStart[i]..<rowStart[i + 1] where chosen[Int(rowCandidate[k])] {
                let p = rowMilliwatts[k]
                total += p
                if p > best { best = p }
            }
            if Self.covered(best: best, total: total, minRSRP: minRSRPMilliwatts, minSINR: minSINR, load: interfererLoad, noise: noiseMilliwatts) {
                value += weights[i]
            }
        }
        return value
    }

    /// The relaxed (pairwise, submodular) objective: weight of the units not covered by the existing
    /// network that some chosen candidate can cover (`relaxedThreshold`). Equals the true gain when
    /// there is no SINR condition and bounds it from above otherwise.
    public func relaxedGain(of selection: [Int]) -> Double {
        var hit = [Bool](repeating: false, count: unitCount)
        for j in selection {
            for (u, p) in zip(columns[j].units, columns[j].milliwatts) where p >= relaxedThreshold[Int(u)] { hit[Int(u)] = true }
        }
        return zip(weights, hit).reduce(0) { $0 + ($1.1 ? $1.0 : 0) }
    }

    /// Total cost of a selection [EUR].
    public func cost(of selection: [Int]) -> Double { selection.reduce(0) { $0 + costs[$1] } }
}
