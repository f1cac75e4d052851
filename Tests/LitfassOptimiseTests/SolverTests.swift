import Foundation
import Testing
import LitfassOptimise
import _LitfassTestSupport

struct SolverTests {
    /// The incremental evaluator and the from-scratch evaluation agree along the whole run.
    @Test func resultValueMatchesAFromScratchEvaluation() throws {
        for seed in 1...4 as ClosedRange<UInt64> {
            let p = try RandomInstance.make(seed: seed, units: 400, candidates: 25, existing: 3, sinrDB: 0)
            let r = try SiteOptimiser(problem: p).optimise(limit: .count(6))
            #expect(abs(r.covered - p.coveredWeight(of: r.selection)) < 1e-6)
            #expect(abs(r.cost - p.cost(of: r.selection)) < 1e-6)
            #expect(r.upperBound >= r.covered - 1e-9)
            var sum = r.baselineCovered
            for c in r.chosen { sum += c.marginalGain }
            #expect(abs(sum - r.covered) < 1e-6, "marginal gains add up to the total")
        }
    }

    /// ≥ 98 % of the true optimum (brute force over every subset) with and without SINR, count and budget.
    @Test(arguments: [UInt64(11), 12, 13, 14, 15, 16])
    func heuristicReaches98PercentOfTheBruteForceOptimum(seed: UInt64) throws {
        for sinr in [nil, 0.0] as [Double?] {
            let p = try RandomInstance.make(seed: seed, units: 250, candidates: 12, existing: 2, sinrDB: sinr)
            for limit in [SelectionLimit.count(4), .budget(120_000)] {
                let r = try SiteOptimiser(problem: p).optimise(limit: limit)
                let opt = RandomInstance.bruteForce(p, limit: limit)
                let optGain = opt.covered - p.baselineWeight
                #expect(r.gain >= 0.98 * optGain - 1e-9, "seed \(seed) sinr \(String(describing: sinr)) \(limit): \(r.gain) vs optimum \(optGain)")
                #expect(r.upperBound >= opt.covered - 1e-6, "the bound holds: \(r.upperBound) ≥ \(opt.covered)")
                if case .budget(let b) = limit { #expect(r.cost <= b) }
                if case .count(let k) = limit { #expect(r.chosen.count <= k) }
            }
        }
    }

    @Test func sameResultOnOneAndManyThreads() throws {
        let p = try RandomInstance.make(seed: 7, units: 400, candidates: 24, existing: 3, sinrDB: 3)
        var one = SolverSettings(); one.threads = 1
        var many = SolverSettings(); many.threads = 4
        for limit in [SelectionLimit.count(8), .budget(150_000)] {
            let a = try SiteOptimiser(problem: p, settings: one).optimise(limit: limit)
            let b = try SiteOptimiser(problem: p, settings: many).optimise(limit: limit)
            #expect(a.selection == b.selection)
            #expect(a.covered == b.covered)
            #expect(a.upperBound == b.upperBound)
            #expect(a.curve == b.curve)
        }
    }

    @Test func anExtraStartIsNeverLost() throws {
        let p = try RandomInstance.make(seed: 41, units: 200, candidates: 10, existing: 2, sinrDB: 3)
        let optimum = RandomInstance.bruteForce(p, limit: .count(3))
        let r = try SiteOptimiser(problem: p).optimise(limit: .count(3), extraStarts: [("optimum", optimum.selection)])
        #expect(r.covered >= optimum.covered - 1e-9)
        // A start that breaks the limit is ignored, not an error.
        _ = try SiteOptimiser(problem: p).optimise(limit: .count(1), extraStarts: [("too many", [0, 1, 2])])
    }

    @Test func budgetTooSmallForAnySiteIsAClearError() throws {
        let p = try RandomInstance.make(seed: 3, units: 50, candidates: 5, existing: 0, sinrDB: nil)
        #expect(throws: OptimiseError.self) { try SiteOptimiser(problem: p).optimise(limit: .budget(1_000)) }
        do { _ = try SiteOptimiser(problem: p).optimise(limit: .budget(1_000)) } catch {
            #expect("\(error)".contains("below the cheapest candidate"))
        }
    }

    @Test func countLargerThanTheCandidatesIsANoteNotAFailure() throws {
        let p = try RandomInstance.make(seed: 4, units: 100, candidates: 5, existing: 0, sinrDB: nil)
        let r = try SiteOptimiser(problem: p).optimise(limit: .count(12))
        #expect(r.notes.contains { $0.contains("larger than the 5 candidates") })
        #expect(r.chosen.count <= 5)
    }

    @Test func invalidProblemsNameWhatIsWrong() {
        #expect(throws: OptimiseError.self) {
            try CoverageProblem(weights: [1, 2], costs: [1], columns: [SparseColumn(units: [1, 0], milliwatts: [1, 1])],
                                noiseMilliwatts: 1e-12, minRSRPMilliwatts: 1e-11, minSINR: nil)
        }
        #expect(throws: OptimiseError.self) {
            try CoverageProblem(weights: [1, -2], costs: [1], columns: [SparseColumn(units: [0], milliwatts: [1])],
                                noiseMilliwatts: 1e-12, minRSRPMilliwatts: 1e-11, minSINR: nil)
        }
    }
}
