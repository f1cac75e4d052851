import Foundation
import Testing
import LitfassGeo
import LitfassKernel
import LitfassOptimise
import LitfassRadio
import LitfassScenario
import _LitfassTestSupport

/// The Neuss default scenario, its 14 candidate columns, building demand by floor area; 10 m grid
/// to keep the tests quick. Built once.
let neuss: (scenario: Scenario, site: SiteProblem) = {
    let scenario = try! ScenarioStore.load(path: try! DefaultScenario.path())
    var options = OptimiseOptions()
    options.resolutionMeters = 10
    let site = try! SiteProblem.build(scenario: scenario, candidates: CandidateSource.columns(of: scenario),
                                      demand: try! DemandSource.buildings(of: scenario, objective: .area), options: options)
    return (scenario, site)
}()

struct NeussTests {
    @Test func candidatesCostEquipmentMountingAndStreetRoutedFibre() throws {
        let (scenario, site) = neuss
        #expect(site.candidates.count == scenario.candidateSites.count)
        let base = scenario.assumptions.costs.smallCellEquipmentEUR.value + scenario.assumptions.costs.smallCellMountingEUR.value
        for (c, cost) in zip(site.candidates, site.costs) {
            #expect(cost.totalEUR >= base)
            #expect(cost.backhaulRouteMeters >= 0)
            // Civil works are priced per metre between the cheapest and the dearest street class.
            let rates = scenario.assumptions.costs.civilWorksEURPerMeter.values.map(\.value)
            #expect(cost.backhaulEUR >= rates.min()! * cost.backhaulRouteMeters - 1e-6, "\(c.id)")
            #expect(cost.backhaulEUR <= rates.max()! * cost.backhaulRouteMeters + 1e-6, "\(c.id)")
        }
        // A column farther from the fibre costs more than one next to it.
        let byRoute = zip(site.costs.map(\.backhaulRouteMeters), site.costs.map(\.backhaulEUR)).sorted { $0.0 < $1.0 }
        #expect(byRoute.first!.1 < byRoute.last!.1)
    }

    @Test func beatsTheBestOf1000RandomSelectionsOfTheSameSizeAndCost() throws {
        let p = neuss.site.problem
        let n = p.candidateCount
        for limit in [SelectionLimit.count(4), .budget(120_000)] {
            let r = try SiteOptimiser(problem: p).optimise(limit: limit)
            #expect(!r.chosen.isEmpty)
            var rng = SeededGenerator(seed: 1000)
            var bestRandom = -Double.infinity
            var drawn = 0, attempts = 0
            while drawn < 1000 && attempts < 200_000 {
                attempts += 1
                let s = Array((0..<n).shuffled(using: &rng).prefix(r.chosen.count))
                guard p.cost(of: s) <= r.cost + 1e-6 else { continue }   // same size, no more money
                drawn += 1
                bestRandom = max(bestRandom, p.coveredWeight(of: s))
            }
            #expect(drawn == 1000, "\(limit): only \(drawn) random selections within the cost")
            #expect(r.covered >= bestRandom, "\(limit): heuristic \(r.covered) vs best random \(bestRandom)")
            #expect(r.upperBound >= r.covered)
        }
    }

    @Test func existingCoverageIsNotCreditedTwice() throws {
        let p = neuss.site.problem
        #expect(p.baselineWeight > 0, "the live Telekom n78 network covers some floor area")
        #expect(p.baselineWeight < p.totalWeight)
        // Every single candidate's gain counts only units the live network does not cover.
        for j in 0..<p.candidateCount {
            #expect(p.coveredWeight(of: [j]) - p.baselineWeight <= p.relaxedGain(of: [j]) + 1e-6)
        }
    }

    @Test func candidatesOutsideTheScenarioAreAClearError() throws {
        let folder = TemporaryFolder("litfass-optimise")
        let file = folder.file("candidates.csv").path
        try "id,lon,lat,kind\nmarkt,6.6920,51.1980,column\nberlin,13.4050,52.5200,rooftop\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: OptimiseError.self) { try CandidateSource.load(path: file, scenario: neuss.scenario) }
        do { _ = try CandidateSource.load(path: file, scenario: neuss.scenario) } catch {
            #expect("\(error)".contains("row 2"))
            #expect("\(error)".contains("'berlin'"))
            #expect("\(error)".contains("outside the scenario"))
        }
        let skipped = try CandidateSource.load(path: file, scenario: neuss.scenario, skipOutside: true)
        #expect(skipped.candidates.map(\.id) == ["markt"])
        #expect(skipped.warnings.count == 1)
    }

    @Test func demandLayerWithoutWeightsNeedsAnAnswer() throws {
        let folder = TemporaryFolder("litfass-optimise")
        let file = folder.file("demand.csv").path
        try "name,lon,lat\nshop,6.6920,51.1980\ncafe,6.6930,51.1990\n".write(toFile: file, atomically: true, encoding: .utf8)
        do {
            _ = try DemandSource.layer(path: file, weightAttribute: nil, unweighted: false, scenario: neuss.scenario)
            Issue.record("expected an error")
        } catch let error as OptimiseError {
            guard case .demandWithoutWeights = error else { Issue.record("wrong error \(error)"); return }
            #expect(error.description.contains("--weight-attribute"))
            #expect(error.description.contains("--unweighted"))
        }
        let unweighted = try DemandSource.layer(path: file, weightAttribute: nil, unweighted: true, scenario: neuss.scenario)
        #expect(unweighted.units.map(\.weight) == [1, 1])
        #expect(throws: OptimiseError.self) { try DemandSource.layer(path: file, weightAttribute: "people", unweighted: false, scenario: neuss.scenario) }
        let weighted = folder.file("weighted.csv").path
        try "name,lon,lat,people\nshop,6.6920,51.1980,12\ncafe,6.6930,51.1990,x\n".write(toFile: weighted, atomically: true, encoding: .utf8)
        do {
            _ = try DemandSource.layer(path: weighted, weightAttribute: "people", unweighted: false, scenario: neuss.scenario)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("row 2, column 'people'"))
        }
    }

    @Test func floorAreaIsFootprintTimesStoreys() throws {
        let s = neuss.scenario
        let units = try DemandSource.buildings(of: s, objective: .area)
        let storey = s.assumptions.buildingHeights.storeyHeightMeters.value
        for u in units.prefix(200) {
            let b = s.buildings[u.buildingIndex!]
            let storeys = b.levels ?? max(1, Int((b.heightMeters / storey).rounded()))
            #expect(abs(u.weight - b.footprintAreaSquareMeters * Double(storeys)) < 1e-6)
        }
        #expect(try DemandSource.buildings(of: s, objective: .buildings).allSatisfy { $0.weight == 1 })
    }
}

struct NeussCornerTurnsTests {
    /// A corner-turn count outside the kernel's 0…8 is refused with the argument named, never clamped.
    @Test func outOfRangeTurnsAreRefusedNotClamped() throws {
        let scenario = neuss.scenario
        var options = OptimiseOptions()
        options.resolutionMeters = 20
        options.maxCornerTurns = 9
        let candidates = CandidateSource.columns(of: scenario)
        let demand = try DemandSource.buildings(of: scenario, objective: .buildings)
        #expect(throws: KernelSettingsError.cornerTurnsOutOfRange(argument: "maxCornerTurns", value: 9, allowed: 0...8)) {
            try SiteProblem.build(scenario: scenario, candidates: candidates, demand: demand, options: options)
        }
        options.maxCornerTurns = -1
        #expect(throws: KernelSettingsError.self) {
            try SiteProblem.build(scenario: scenario, candidates: candidates, demand: demand, options: options)
        }
    }
}

struct NeussDeterminismTests {
    @Test func sameProblemAndChoiceOnOneAndManyThreads() throws {
        let scenario = neuss.scenario
        var one = OptimiseOptions(), many = OptimiseOptions()
        one.resolutionMeters = 20; many.resolutionMeters = 20
        one.threads = 1; many.threads = 4
        let candidates = CandidateSource.columns(of: scenario)
        let demand = try DemandSource.buildings(of: scenario, objective: .buildings)
        let a = try SiteProblem.build(scenario: scenario, candidates: candidates, demand: demand, options: one)
        let b = try SiteProblem.build(scenario: scenario, candidates: candidates, demand: demand, options: many)
        #expect(a.problem.columns == b.problem.columns)
        #expect(a.problem.existingTotalMilliwatts == b.problem.existingTotalMilliwatts)
        var s1 = SolverSettings(); s1.threads = 1
        var s4 = SolverSettings(); s4.threads = 4
        let ra = try SiteOptimiser(problem: a.problem, settings: s1).optimise(limit: .budget(90_000))
        let rb = try SiteOptimiser(problem: b.problem, settings: s4).optimise(limit: .budget(90_000))
        #expect(ra.selection == rb.selection)
        #expect(ra.covered == rb.covered)
    }
}
