import Foundation
import Testing
import LitfassOptimise
import _LitfassTestSupport

/// The heuristic against GLPK's exact optimum (glpsol, installed by scripts/setup.sh).
struct ExactTests {
    @Test(arguments: [UInt64(21), 22, 23, 24, 25])
    func heuristicReaches98PercentOfTheGLPKOptimum(seed: UInt64) throws {
        let glpsol = try #require(ExactSolver.findGlpsol(), "glpsol is missing: install glpk-utils (scripts/setup.sh)")
        let folder = TemporaryFolder("litfass-exact")
        // Without a SINR threshold the MIP is exactly the heuristic's problem; larger than brute force allows.
        let p = try RandomInstance.make(seed: seed, units: 600, candidates: 30, existing: 2, sinrDB: nil, sizeMeters: 900)
        for limit in [SelectionLimit.count(6), .budget(180_000)] {
            let heuristic = try SiteOptimiser(problem: p).optimise(limit: limit)
            let exact = try ExactSolver(glpsolPath: glpsol).solve(p, limit: limit, directory: folder.url.path, lpRelaxation: true)
            #expect(exact.provenOptimal)
            #expect(heuristic.gain >= 0.98 * exact.relaxedGain - 1e-9, "seed \(seed) \(limit): heuristic \(heuristic.gain), GLPK \(exact.relaxedGain)")
            #expect(heuristic.gain <= exact.relaxedGain + 1e-6, "GLPK's optimum cannot be beaten")
            #expect(heuristic.upperBound - heuristic.baselineCovered >= exact.relaxedGain - 1e-6, "the bound holds")
            if let lp = exact.lpBound { #expect(lp >= exact.relaxedGain - 1e-6) }
            if case .budget(let b) = limit { #expect(p.cost(of: exact.selection) <= b + 1e-6) }
            if case .count(let k) = limit { #expect(exact.selection.count <= k) }
        }
    }

    @Test func glpkAgreesWithBruteForceAndBoundsTheSINRObjective() throws {
        let glpsol = try #require(ExactSolver.findGlpsol(), "glpsol is missing: install glpk-utils (scripts/setup.sh)")
        let folder = TemporaryFolder("litfass-exact")
        for seed in [31, 32] as [UInt64] {
            let plain = try RandomInstance.make(seed: seed, units: 200, candidates: 11, existing: 2, sinrDB: nil)
            let exact = try ExactSolver(glpsolPath: glpsol).solve(plain, limit: .count(3), directory: folder.url.path)
            let brute = RandomInstance.bruteForce(plain, limit: .count(3))
            #expect(abs(exact.relaxedGain - (brute.covered - plain.baselineWeight)) < 1e-6)
            // With SINR the linearised optimum bounds the true optimum from above.
            let sinr = try RandomInstance.make(seed: seed, units: 200, candidates: 11, existing: 2, sinrDB: 3)
            let linearised = try ExactSolver(glpsolPath: glpsol).solve(sinr, limit: .count(3), directory: folder.url.path)
            let trueOptimum = RandomInstance.bruteForce(sinr, limit: .count(3))
            #expect(linearised.relaxedGain >= trueOptimum.covered - sinr.baselineWeight - 1e-6)
        }
    }

    @Test func modelIsCPLEXLPWithEveryCandidateFirst() throws {
        let p = try RandomInstance.make(seed: 5, units: 50, candidates: 4, existing: 0, sinrDB: nil)
        let (text, rows) = ExactSolver.lpModel(p, limit: .budget(50_000))
        #expect(text.contains("Maximize\n obj: 0 x0 + 0 x1 + 0 x2 + 0 x3"))
        #expect(text.contains(" limit:"))
        #expect(text.contains("Binary\n x0 x1 x2 x3\nEnd"))
        #expect(rows > 0)
    }
}
