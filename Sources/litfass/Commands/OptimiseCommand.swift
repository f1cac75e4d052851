import Foundation
import LitfassCoverage
import LitfassKernel
import LitfassOptimise
import LitfassScenario

/// `litfass optimise`: which candidate sites to equip, covered demand against cost (fibre backhaul included).
enum OptimiseCommand: Command {
    static let name = "optimise"
    static let summary = "choose which candidate sites to equip: covered demand against cost incl. fibre"
    static let help = """
    Usage: litfass optimise [--scenario FILE] [--candidates FILE|columns] [--operator NAME]
                            (--count K | --budget EUR) [--objective buildings|area|demand]
                            [--demand FILE [--weight-attribute NAME | --unweighted]]
                            [--min-rsrp DBM] [--min-sinr DB|none] [--existing keep|ignore] [--exact]
                            [--resolution M] [--range M] [--corner-turns N] [--threads N] [--skip-outside]
                            [--no-maps] [--map-resolution M] --out DIR

    Chooses candidate small-cell sites (the scenario's Litfaßsäulen, or rooftops and columns from a
    file) that cover the most demand within a count or a budget. A place counts as covered when its
    best server among the live network and the chosen sites has RSRP ≥ --min-rsrp and SINR ≥
    --min-sinr (interference of all other co-channel cells, the new ones included); what the live
    network covers is not credited again. Cost per site: equipment + mounting + fibre backhaul
    (street route to the nearest fibre access point × civil works per metre).
    Lazy greedy + local search, with an upper bound on the optimum; --exact also solves the
    integer programme with GLPK (glpsol). See docs/OPTIMISE.md.

    Writes into DIR: chosen-sites.csv/.geojson, backhaul-routes.geojson, curve.csv, report.md and
    maps/before, maps/after (GeoTIFF + PNG of RSRP, SINR, best server, throughput).

    Options:
    \(ScenarioArgument.help)
      --candidates FILE   candidate points (any OGR format; CSV with lon/lat columns); columns
                          id, name, kind (column|rooftop), antenna_height (m). Default: columns,
                          the scenario's Litfaßsäulen
      --operator NAME     operator of the small cells (default: smallCells.operatorName)
      --count K           choose at most K sites
      --budget EUR        spend at most EUR (equipment, mounting, fibre)
      --objective NAME    buildings (count), area (floor area, default), demand (with --demand)
      --demand FILE       demand layer (points or polygons, any OGR format) replacing buildings
      --weight-attribute NAME   field of --demand holding the weight (default: a field 'weight')
      --unweighted        every --demand feature counts 1
      --min-rsrp DBM      RSRP threshold per resource element (default -105)
      --min-sinr DB       SINR threshold (default 0); 'none' to judge by RSRP alone
      --existing MODE     keep (default): the live network counts; ignore: plan from scratch
      --exact             also solve exactly with GLPK (small instances; RSRP-only linearisation
                          of the SINR condition) and report the true optimum
      --resolution M      kernel grid cell size in metres for the choice (default 8)
      --range M           range to which candidates are computed (default 600)
      --corner-turns N    corner turns of street-canyon paths in the kernel, 0-8 (default 1;
                          the maps use the kernel's default 2)
      --threads N         worker threads (default: all cores); results do not depend on it
      --skip-outside      drop candidates outside the scenario (default: an error)
      --no-maps           skip the before/after coverage maps
      --map-resolution M  cell size of the maps (default 10)
      --out DIR           output folder (created when missing)
    """

    static func run(_ arguments: inout Arguments, output: Output) throws -> Int32 {
        var options = OptimiseOptions()
        let scenarioPath = try ScenarioArgument.path(&arguments)
        let candidatesArgument = try arguments.option("--candidates") ?? "columns"
        options.operatorName = try arguments.option("--operator")
        let count = try arguments.option("--count")
        let budget = try arguments.doubleOption("--budget")
        let objectiveText = try arguments.choice("--objective", among: DemandObjective.allCases.map(\.rawValue))
        let demandPath = try arguments.option("--demand")
        let weightAttribute = try arguments.option("--weight-attribute")
        let unweighted = arguments.flag("--unweighted")
        if let v = try arguments.doubleOption("--min-rsrp") {
            guard v > -200, v < 0 else { throw UsageError("--min-rsrp expects dBm between -200 and 0, got \(v)") }
            options.minRSRPDBm = v
        }
        if let text = try arguments.option("--min-sinr") {
            if text == "none" { options.minSINRDB = nil } else {
                guard let v = Double(text), v > -30, v < 60 else { throw UsageError("--min-sinr expects dB between -30 and 60 or 'none', got '\(text)'") }
                options.minSINRDB = v
            }
        }
        if let e = try arguments.choice("--existing", among: ExistingNetwork.allCases.map(\.rawValue)) { options.existing = ExistingNetwork(rawValue: e)! }
        let exact = arguments.flag("--exact")
        if let r = try arguments.doubleOption("--resolution") {
            guard r >= 0.5, r <= 100 else { throw UsageError("--resolution expects metres between 0.5 and 100, got \(r)") }
            options.resolutionMeters = r
        }
        if let r = try arguments.doubleOption("--range") {
            guard r >= 10, r <= 20_000 else { throw UsageError("--range expects metres between 10 and 20000, got \(r)") }
            options.candidateRangeMeters = r
        }
        if let turns = try CoverageArguments.cornerTurns(&arguments) { options.maxCornerTurns = turns }
        if let text = try arguments.option("--threads") {
            guard let n = Int(text), n >= 1, n <= 256 else { throw UsageError("--threads expects a whole number 1…256, got '\(text)'") }
            options.threads = n
        }
        let skipOutside = arguments.flag("--skip-outside")
        let noMaps = arguments.flag("--no-maps")
        let mapResolution = try arguments.doubleOption("--map-resolution") ?? 10
        guard mapResolution >= 1, mapResolution <= 100 else { throw UsageError("--map-resolution expects metres between 1 and 100, got \(mapResolution)") }
        guard let out = try arguments.option("--out") else { throw UsageError("--out DIR is required") }
        try arguments.finish()

        let limit: SelectionLimit
        switch (count, budget) {
        case (nil, nil): throw UsageError("give --count K or --budget EUR")
        case (.some, .some): throw UsageError("give either --count or --budget, not both")
        case (let text?, nil):
            guard let k = Int(text), k >= 1 else { throw UsageError("--count expects a whole number ≥ 1, got '\(text)'") }
            limit = .count(k)
        case (nil, let b?):
            guard b > 0 else { throw UsageError("--budget expects a positive amount in EUR, got \(b)") }
            limit = .budget(b)
        }
        var objective = objectiveText.flatMap(DemandObjective.init(rawValue:)) ?? (demandPath == nil ? .area : .demand)
        if demandPath != nil {
            guard objective == .demand else { throw UsageError("--demand counts the layer's weights: use --objective demand (or leave it out)") }
        } else if objective == .demand {
            throw UsageError("--objective demand needs --demand FILE")
        }
        if (weightAttribute != nil || unweighted) && demandPath == nil { throw UsageError("--weight-attribute and --unweighted go with --demand") }
        if weightAttribute != nil && unweighted { throw UsageError("give either --weight-attribute or --unweighted, not both") }

        let scenario = try ScenarioStore.load(path: scenarioPath)
        var warnings: [String] = []
        let candidates: [Candidate]
        if candidatesArgument == "columns" {
            candidates = CandidateSource.columns(of: scenario)
            guard !candidates.isEmpty else { throw OptimiseError.noCandidates("the scenario has no candidate columns; give --candidates FILE") }
        } else {
            let loaded = try CandidateSource.load(path: candidatesArgument, scenario: scenario, skipOutside: skipOutside)
            candidates = loaded.candidates
            warnings += loaded.warnings
        }
        let demand: [DemandUnit]
        if let demandPath {
            let loaded = try DemandSource.layer(path: demandPath, weightAttribute: weightAttribute, unweighted: unweighted, scenario: scenario)
            demand = loaded.units
            warnings += loaded.warnings
        } else {
            demand = try DemandSource.buildings(of: scenario, objective: objective)
            objective = objective == .buildings ? .buildings : .area
        }
        for w in warnings { output.printError("warning: \(w)") }

        let bar = StageBar()
        let site = try SiteProblem.build(scenario: scenario, candidates: candidates, demand: demand, options: options,
                                       budgetEUR: { if case .budget(let b) = limit { return b } else { return nil } }()) { bar.update("coverage", $0) }
        for w in site.warnings { output.printError("warning: \(w)") }
        var settings = SolverSettings()
        settings.threads = options.threads
        var exactResult: ExactResult?
        if exact {
            exactResult = try ExactSolver().solve(site.problem, limit: limit, directory: out)
        }
        var result = try SiteOptimiser(problem: site.problem, settings: settings)
            .optimise(limit: limit, candidateIDs: site.candidates.map(\.id), extraStarts: exactResult.map { [("GLPK's selection", $0.selection)] } ?? []) {
                stage, fraction in bar.update(stage, fraction)
            }
        bar.finish()
        for note in result.notes { output.printError("note: \(note)") }
        if let exactResult { result.applyExactBound(exactResult) }
        try OptimiseWriter(maps: !noMaps, mapResolutionMeters: mapResolution)
            .write(result, site: site, scenario: scenario, objective: objective, exact: exactResult, to: out)

        let unit = objective.unit
        output.print(String(format: "Chose %d of %d candidates (%@): +%.0f %@ covered (%.0f → %.0f of %.0f), cost %.0f EUR",
                            result.chosen.count, site.candidates.count, limit.description, result.gain, unit, result.baselineCovered,
                            result.covered, result.totalWeight, result.cost))
        output.print(String(format: "Upper bound on the best possible gain: %.0f %@ (the choice reaches at least %.1f %%)",
                            result.upperBound - result.baselineCovered, unit, 100 * result.guaranteedShare))
        if let e = exactResult {
            output.print(String(format: "Exact (GLPK, %@, %d rows): +%.0f %@%@", e.provenOptimal ? "optimal" : "time limit", e.coverageRows, e.relaxedGain, unit,
                                options.minSINRDB == nil ? "" : " in the RSRP-only linearisation (an upper bound with SINR)"))
            let trueGain = site.problem.coveredWeight(of: e.selection) - result.baselineCovered
            if options.minSINRDB != nil {
                output.print(String(format: "  GLPK's selection with all interference counted: +%.0f %@ (the heuristic: +%.0f)", trueGain, unit, result.gain))
            }
        }
        for (k, c) in result.chosen.enumerated() {
            output.print(String(format: "  %2d  %@  +%.0f  %.0f EUR", k + 1, site.candidates[c.candidate].id, c.marginalGain, c.cost))
        }
        output.print("Wrote \(out)/report.md and the other outputs.")
        if scenario.provenance.fibreIsIllustrative { output.print("ILLUSTRATIVE: the fibre network (and so the backhaul cost) is generated by rule, not real routes.") }
        return ExitCode.success
    }
}

/// A one-line progress display on standard error, only when it is a terminal and the run takes
/// longer than a second.
final class StageBar: @unchecked Sendable {
    private let enabled = isatty(2) == 1
    private let start = Date()
    private var drawn = false
    private let lock = NSLock()

    func update(_ stage: String, _ fraction: Double) {
        guard enabled, Date().timeIntervalSince(start) > 1 else { return }
        lock.lock(); defer { lock.unlock() }
        drawn = true
        let width = 30, filled = Int(max(0, min(1, fraction)) * Double(width))
        let line = String(format: "\r%@ [%@%@] %.0f s ", stage.padding(toLength: 12, withPad: " ", startingAt: 0),
                          String(repeating: "#", count: filled), String(repeating: "-", count: width - filled), Date().timeIntervalSince(start))
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        guard drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
