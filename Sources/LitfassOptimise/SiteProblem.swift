import Foundation
import LitfassCoverage
import LitfassGeo
import LitfassKernel
import LitfassRadio
import LitfassScenario

/// Whether the sites already live count.
public enum ExistingNetwork: String, Sendable, CaseIterable {
    /// The operator's co-channel sectors serve and interfere; what they cover is not credited again.
    case keep
    /// Plan as if nothing were live (no baseline coverage, no interference from it).
    case ignore
}

/// Settings of turning a scenario into an optimisation problem.
public struct OptimiseOptions: Sendable {
    /// Operator running the small cells; nil for `smallCells.operatorName` of the assumptions.
    public var operatorName: String?
    /// RSRP threshold [dBm per resource element]. Default −105 dBm.
    public var minRSRPDBm: Double = -105
    /// SINR threshold [dB]; nil to judge by RSRP alone. Default 0 dB.
    public var minSINRDB: Double? = 0
    /// Whether the live network counts (default keep).
    public var existing: ExistingNetwork = .keep
    /// Grid cell size of the kernel's scene [m]. Default 8 m (screening many candidates; the
    /// before/after maps use their own resolution and the full kernel).
    public var resolutionMeters: Double = 8
    /// Range to which a candidate small cell is computed [m]; beyond it its signal counts as zero
    /// (with 43 dBm EIRP it is far below noise there in a city). Default 600 m.
    public var candidateRangeMeters: Double = 600
    /// Most building corners a street-canyon path may turn around in the kernel
    /// (`KernelSettings.cornerTurnsRange`, 0…8; outside it building the problem throws
    /// `KernelSettingsError.cornerTurnsOutOfRange`); nil for the kernel's default (2). Default 1 for
    /// screening (two-turn paths are weak; the maps keep 2).
    public var maxCornerTurns: Int? = 1
    /// Propagation model of the kernel. Default ray casting.
    public var model: PropagationModel = .rayCast
    /// Worker threads (≥ 1); results do not depend on it.
    public var threads: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// The radio assumptions of the coverage module (noise figures, RSRP floor, interferer load).
    public var assumptions = CoverageAssumptions()

    /// The defaults above.
    public init() {}
}

/// A scenario turned into a `CoverageProblem`: the candidates with their costs, the demand, and
/// the coverage run whose scene, plan and kernel computed the RSRP matrix.
public struct SiteProblem: Sendable {
    /// The abstract problem the optimiser solves.
    public var problem: CoverageProblem
    /// Candidates in problem order (those without a backhaul route left out) and their costs.
    public var candidates: [Candidate]
    /// Cost of each candidate, in candidate order.
    public var costs: [CandidateCost]
    /// The demand units, in problem order.
    public var demand: [DemandUnit]
    /// The operator, band label and the existing co-channel sectors used.
    public var operatorName: String
    /// The carrier layer, e.g. "n78 3600 MHz".
    public var bandLabel: String
    /// The live co-channel sectors counted.
    public var existingSectors: [Sector]
    /// The sector each candidate would get.
    public var candidateSectors: [Sector]
    /// The options the problem was built with.
    public var options: OptimiseOptions
    /// Things the user should know.
    public var warnings: [String]
    /// Seconds spent computing coverage.
    public var coverageSeconds: Double

    /// Builds the problem: candidate costs (equipment, mounting, fibre backhaul), the coverage run
    /// (scene, plan of the operator's co-channel sectors plus one small-cell sector per candidate),
    /// one kernel window per sector sampled at the demand units, RSRP per resource element as the
    /// coverage maps compute it.
    /// - Throws: `OptimiseError` for an unknown operator or no candidates left; `CoverageError` from the run set-up.
    /// - Parameter budgetEUR: when given, fails before the coverage computation if no candidate fits it.
    public static func build(scenario: Scenario, candidates allCandidates: [Candidate], demand: [DemandUnit], options: OptimiseOptions,
                             budgetEUR: Double? = nil, progress: @Sendable (Double) -> Void = { _ in }) throws -> SiteProblem {
        let start = Date()
        let a = scenario.assumptions
        let op = options.operatorName ?? a.smallCells.operatorName.value
        let known = Set(scenario.operatorNames + a.operators.map(\.name))
        guard known.contains(op) else {
            throw OptimiseError.limit("no operator '\(op)' in the scenario (operators: \(known.sorted().joined(separator: ", ")))")
        }
        guard !demand.isEmpty else { throw OptimiseError.noDemand("no demand units") }
        var warnings: [String] = []
        let (maybeCosts, costWarnings) = CandidateSource.costs(of: allCandidates, scenario: scenario)
        warnings += costWarnings
        var candidates: [Candidate] = [], costs: [CandidateCost] = []
        for (c, cost) in zip(allCandidates, maybeCosts) { if let cost { candidates.append(c); costs.append(cost) } }
        guard !candidates.isEmpty else { throw OptimiseError.noCandidates("no candidate has a fibre backhaul route; nothing to choose from") }
        if let budgetEUR, let cheapest = costs.indices.min(by: { (costs[$0].totalEUR, $0) < (costs[$1].totalEUR, $1) }),
           costs[cheapest].totalEUR > budgetEUR {
            throw OptimiseError.budgetTooSmall(budgetEUR: budgetEUR, cheapestEUR: costs[cheapest].totalEUR, candidateID: candidates[cheapest].id)
        }

        // Sectors: the operator's existing co-channel layer + one small cell per candidate.
        let planner = SectorPlanner(assumptions: a)
        let frequency = a.smallCells.centreFrequencyMHz.value * 1e6
        let existing = options.existing == .ignore ? [] : scenario.sectorsInEffect.filter {
            $0.operatorName == op && $0.band == a.smallCells.band && $0.centreFrequencyHz == frequency
        }
        if options.existing == .keep && existing.isEmpty {
            warnings.append("\(op) has no live \(a.smallCells.band) sectors at \(Int(frequency / 1e6)) MHz in the scenario: no existing coverage or interference")
        }
        var sites = scenario.sites
        var candidateSectors: [Sector] = []
        for c in candidates {
            let siteID = "candidate:" + c.id
            let site = Site(id: siteID, kind: c.kind == .column ? .advertisingColumn : .imported, location: c.location,
                            structureHeightMeters: c.antennaHeightMeters, isEquipped: true, name: c.name)
            sites.append(site)
            var sector = planner.smallCellSector(on: site)
            sector.operatorName = op
            sector.antennaHeightMeters = c.antennaHeightMeters
            candidateSectors.append(sector)
        }
        var augmented = scenario
        augmented.sites = sites
        augmented.sectors = existing + candidateSectors
        var coverageOptions = CoverageOptions()
        coverageOptions.operators = [op]
        coverageOptions.resolutionMeters = options.resolutionMeters
        coverageOptions.model = options.model
        coverageOptions.threads = options.threads
        coverageOptions.assumptions = options.assumptions
        let run = try CoverageRun(scenario: augmented, options: coverageOptions)
        warnings += run.warnings
        guard let layer = run.plan.layers.first else { throw OptimiseError.noCandidates("no sector to compute") }
        var kernelSettings = run.kernel.settings
        kernelSettings.threads = 1
        if let turns = options.maxCornerTurns {
            kernelSettings.maxCornerTurns = try KernelSettings.validateCornerTurns(turns, argument: "maxCornerTurns")
        }
        let kernel = PropagationKernel(scene: run.scene, settings: kernelSettings)
        let grid = run.scene.grid
        // Demand units to grid cells, sorted by cell so a window is read in one pass.
        let cells: [Int] = demand.map { unit in
            guard let (c, r) = grid.cell(containing: unit.location) else { return -1 }
            return r * grid.columns + c
        }
        let floor = options.assumptions.rsrpFloorDBm
        let planned = run.plan.sectors
        let existingCount = existing.count
        let threads = max(1, options.threads)
        // One window per sector, sampled at the units: (unit, mW) ascending by unit. Batches keep memory flat.
        var samples: [[(Int32, Double)]] = []
        samples.reserveCapacity(planned.count)
        let batch = max(threads * 2, 8)
        var next = 0
        while next < planned.count {
            let range = next..<min(planned.count, next + batch)
            let part = parallelMap(range.count, threads: threads) { k -> [(Int32, Double)] in
                var sector = planned[range.lowerBound + k]
                if range.lowerBound + k >= existingCount {
                    sector.transmitter.maxRangeMeters = min(sector.transmitter.maxRangeMeters, options.candidateRangeMeters)
                }
                let window = kernel.compute(sector.transmitter)
                var out: [(Int32, Double)] = []
                for (i, cell) in cells.enumerated() where cell >= 0 {
                    let row = cell / grid.columns - window.rowOffset, column = cell % grid.columns - window.columnOffset
                    guard row >= 0, row < window.rows, column >= 0, column < window.columns else { continue }
                    let received = window.receivedPowerDBm[row * window.columns + column]
                    guard received > -.infinity else { continue }
                    let rsrp = Double(Float(Double(received) - sector.resourceElementOffsetDB))
                    guard rsrp >= floor else { continue }
                    out.append((Int32(i), LinkPhysics.milliwatts(rsrp)))
                }
                return out
            }
            samples += part
            next = range.upperBound
            progress(Double(next) / Double(planned.count))
        }
        var best = [Double](repeating: 0, count: demand.count), total = [Double](repeating: 0, count: demand.count)
        for s in 0..<existingCount {
            for (i, p) in samples[s] {
                total[Int(i)] += p
                if p > best[Int(i)] { best[Int(i)] = p }
            }
        }
        let columns = samples[existingCount...].map { SparseColumn(units: $0.map(\.0), milliwatts: $0.map(\.1)) }
        let outsideGrid = cells.filter { $0 < 0 }.count
        if outsideGrid > 0 { warnings.append("\(outsideGrid) demand unit(s) lie outside the computed grid and cannot be covered") }
        let problem = try CoverageProblem(
            weights: demand.map(\.weight), costs: costs.map(\.totalEUR), columns: Array(columns),
            existingBestMilliwatts: best, existingTotalMilliwatts: total,
            noiseMilliwatts: LinkPhysics.milliwatts(layer.noisePerResourceElementDBm), interfererLoad: options.assumptions.interfererLoad,
            minRSRPMilliwatts: LinkPhysics.milliwatts(options.minRSRPDBm), minSINR: options.minSINRDB.map { LinkPhysics.milliwatts($0) })
        return SiteProblem(problem: problem, candidates: candidates, costs: costs, demand: demand, operatorName: op, bandLabel: layer.label,
                           existingSectors: existing, candidateSectors: candidateSectors, options: options, warnings: warnings,
                           coverageSeconds: Date().timeIntervalSince(start))
    }
}
