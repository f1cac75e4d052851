import Foundation
import LitfassCoverage
import LitfassGeo
import LitfassKernel
import LitfassRadio
import LitfassScenario

/// Answers "what bandwidth can this building get?": finds the building, routes fibre, and computes
/// every operator's links to it on demand with the same physics as the coverage maps
/// (`CoverageRun.linksAt`: the kernel's `link`, RSRP per RE, SINR, throughput mapping).
///
/// Set up once per scenario (scene and radio plan), then each question takes milliseconds.
public final class QueryEngine: Sendable {
    public let scenario: Scenario
    public let coverage: CoverageRun
    let index: AddressIndex
    let router: FibreRouter
    let buildingsByID: [String: Int]
    /// Kept for every answer (creating a PROJ transformation costs milliseconds).
    let toWGS84: SharedProjection, fromWGS84: SharedProjection
    /// Threads the kernel spreads one answer's links over (0: one per core). A server answering many requests at
    /// once uses 1 (the requests keep the cores busy; fanning each answer out only adds switching). Answers do not
    /// depend on it.
    public let threadsPerAnswer: Int
    /// The small-cell operator's plan with every candidate column equipped, and per candidate in the scene the
    /// index of its sector in that plan (for "what would change it"); nil when the operator is not in the scenario.
    let improvementPlan: (plan: RadioPlan, candidates: [(site: Site, sector: Int)])?
    /// Location variability for the cautious values: 90 % of locations (z = 1.2816) with the
    /// shadow-fading standard deviation of 3GPP TR 38.901 Table 7.4.1-1, UMi-Street Canyon:
    /// σ_SF = 4 dB (LOS), 7.82 dB (NLOS).
    public static let cautiousZ = 1.2816
    public static let shadowSigmaLOSDB = 4.0
    public static let shadowSigmaNLOSDB = 7.82

    /// - Throws: `CoverageError` when the scene or radio plan cannot be set up.
    public init(scenario: Scenario, options: CoverageOptions = CoverageOptions(), threadsPerAnswer: Int = 0) throws {
        self.scenario = scenario
        self.threadsPerAnswer = max(0, threadsPerAnswer)
        var options = options
        options.requiresSectors = false   // without sites the answer is fibre, and says what mobile misses
        coverage = try CoverageRun(scenario: scenario, options: options)
        index = AddressIndex(scenario.addresses, buildingAreas: Dictionary(scenario.buildings.map { ($0.id, $0.footprintAreaSquareMeters) },
                                                                           uniquingKeysWith: { a, _ in a }))
        router = FibreRouter(scenario: scenario)
        var ids: [String: Int] = [:]
        for (i, b) in scenario.buildings.enumerated() { ids[b.id] = i }
        buildingsByID = ids
        toWGS84 = try SharedProjection(from: .utm32N, to: .wgs84)
        fromWGS84 = try SharedProjection(from: .wgs84, to: .utm32N)
        improvementPlan = try Self.improvementPlan(scenario: scenario, coverage: coverage)
    }

    /// The plan of `improvementPlan`: the operator's sectors in effect, then one small cell (as the assumptions
    /// describe it) on every candidate column inside the scene, in candidate order.
    static func improvementPlan(scenario: Scenario, coverage: CoverageRun) throws -> (plan: RadioPlan, candidates: [(site: Site, sector: Int)])? {
        let operatorName = scenario.assumptions.smallCells.operatorName.value
        guard scenario.operatorNames.contains(operatorName) else { return nil }
        var options = coverage.options
        options.operators = [operatorName]
        let planner = SectorPlanner(assumptions: scenario.assumptions)
        var trial = scenario
        var ids: [(site: Site, sectorID: String)] = []
        for candidate in scenario.candidateSites where coverage.scene.grid.boundingBox.contains(candidate.location) {
            var equipped = candidate
            equipped.isEquipped = true
            let sector = planner.smallCellSector(on: equipped)
            trial.sites.append(equipped)
            trial.sectors.append(sector)
            ids.append((candidate, sector.id))
        }
        let plan = try RadioPlan(scenario: trial, options: options, grid: coverage.scene.grid)
        let candidates = ids.compactMap { c in plan.sectors.lastIndex { $0.sector.id == c.sectorID }.map { (c.site, $0) } }
        return (plan, candidates)
    }

    /// How much of an answer to compute.
    public enum Scope: Sendable {
        /// Everything: outdoor and indoor figures, the reasons, the best candidate column.
        case full
        /// What a table row of `BatchQuery.csv` shows: the building, fibre, and per operator the indoor figures (the
        /// outdoor ones only where there is no building or no indoor service); no candidate column, no reasons.
        case keyFigures
    }

    /// Answers an address question.
    /// - Throws: `QueryError.unreadableAddress` when the text is no address.
    /// The answer carries the lookup's notes (a corrected street name, an unconfirmed postcode, a site of several
    /// buildings) first among its `assumptions`; `lookup(address:)` says why an address is not found or ambiguous.
    public func answer(address text: String, floor: Int = 0, scope: Scope = .full) throws -> QueryOutcome {
        let lookup = try lookup(address: text)
        switch lookup.match {
        case .ambiguous(let addresses): return .ambiguous(addresses)
        case .notFound(let suggestions): return .notFound(suggestions: suggestions)
        case .unique(let address):
            let building = address.buildingID.flatMap { buildingsByID[$0] }.map { scenario.buildings[$0] }
            var result = try answer(question: text, at: address.location, address: address, building: building, floor: floor, scope: scope)
            result.assumptions.insert(contentsOf: lookup.notes, at: 0)
            return .answer(result)
        }
    }

    /// Finds the building of an address without computing the answer: the match, the reason when it is not found
    /// or ambiguous, and the notes an answer would carry.
    /// - Throws: `QueryError.unreadableAddress` when the text is no address.
    public func lookup(address text: String) throws -> AddressIndex.Lookup {
        guard let query = AddressQuery(parsing: text) else { throw QueryError.unreadableAddress(text) }
        return index.lookup(query)
    }

    /// Labels for the choices of an ambiguous address that tell them apart: the address, the building's type and
    /// footprint, and its position (WGS84); the building id where all that is still the same.
    public func choiceLabels(for addresses: [Address]) -> [String] {
        var labels = addresses.map { a -> String in
            var label = "\(a.street) \(a.houseNumber)" + (a.postcode.map { ", \($0)" } ?? "") + (a.city.map { " \($0)" } ?? "")
            if let building = a.buildingID.flatMap({ buildingsByID[$0] }).map({ scenario.buildings[$0] }) {
                label += " — \(building.type == "yes" ? "building" : building.type), \(String(format: "%.0f", building.footprintAreaSquareMeters)) m²"
            } else {
                label += " — no building"
            }
            if let p = try? toWGS84.toLonLat([a.location])[0] { label += String(format: ", at %.5f,%.5f", p.lon, p.lat) }
            return label
        }
        let counts = Dictionary(labels.map { ($0, 1) }, uniquingKeysWith: +)
        for (i, label) in labels.enumerated() where counts[label, default: 0] > 1 {
            labels[i] += " (\(addresses[i].buildingID ?? "address point \(i + 1)"))"
        }
        return labels
    }

    /// Answers for a WGS84 position: the building there, if any.
    /// - Throws: `QueryError.outsideScenario` when the point lies outside the scenario's extent.
    public func answer(lonLat: LonLat, floor: Int = 0) throws -> QueryAnswer {
        let point = try fromWGS84.forward([lonLat])[0]
        guard coverage.scene.grid.boundingBox.contains(point) else { throw QueryError.outsideScenario(lonLat) }
        var building: Building?
        if let cell = coverage.scene.grid.cell(containing: point) {
            let i = coverage.scene.buildingIndex[cell.row * coverage.scene.grid.columns + cell.column]
            if i >= 0 { building = scenario.buildings[Int(i)] }
        }
        let address = building.flatMap { b in scenario.addresses.first { $0.buildingID == b.id } }
        return try answer(question: String(format: "%.6f,%.6f", lonLat.lon, lonLat.lat), at: point, address: address, building: building, floor: floor)
    }

    func answer(question: String, at point: MapPoint, address: Address?, building: Building?, floor: Int, scope: Scope = .full) throws -> QueryAnswer {
        // The reason (the serving sector's link) and "what would change it" (the live sectors at the same point) ask
        // again for links the answer has computed: memoise the kernel's links for its duration (same values).
        try PropagationKernel.$linkMemo.withValue(LinkMemo()) {
            try PropagationKernel.$linkThreads.withValue(threadsPerAnswer > 0 ? threadsPerAnswer : nil) {
                try answerLinks(question: question, at: point, address: address, building: building, floor: floor, scope: scope)
            }
        }
    }

    func answerLinks(question: String, at point: MapPoint, address: Address?, building: Building?, floor: Int, scope: Scope) throws -> QueryAnswer {
        let engine = GeometryEngine()
        let inside: MapPoint
        if let building, !(try engine.contains(.multiPolygon(building.footprint), point)) {
            inside = try engine.interiorPoint(.multiPolygon(building.footprint))
        } else {
            inside = point
        }
        let facade = try facadePoint(from: inside, building: building, engine: engine)
        let fibre = try router.answer(from: inside, footprint: building?.footprint ?? [], engine: engine)
        // Outside the area the building data covers, the kernel would see open ground: no radio answer.
        let covered = coverage.isInDataArea(inside)
        let indoorLinks = building == nil || !covered ? [] : coverage.linksAt(point: inside, indoor: true, floor: floor)
        // Key figures need the outdoor ones only where they stand in for the indoor ones.
        let outdoorNeeded = scope == .full || building == nil || indoorLinks.contains { $0.serving == nil }
        let outdoorLinks = !covered ? [] : outdoorNeeded ? coverage.linksAt(point: facade, indoor: false, floor: 0) : indoorLinks
        var mobile: [OperatorAnswer] = covered ? [] : coverage.plan.operators.map { OperatorAnswer(operatorName: $0.name) }
        for (k, outdoor) in outdoorLinks.enumerated() {
            let indoor = building == nil ? nil : indoorLinks[k]
            let primary = indoor ?? outdoor
            var answer = OperatorAnswer(operatorName: outdoor.name)
            answer.outdoor = outdoorNeeded ? figures(outdoor, indoor: false) : nil
            answer.indoor = indoor.flatMap { figures($0, indoor: true) }
            func shares(_ op: OperatorAtPoint) -> [CarrierShare] {
                op.carriers.filter { $0.serving != nil }.map { CarrierShare(band: $0.band, downlinkMbps: $0.downlinkMbps, uplinkMbps: $0.uplinkMbps) }
            }
            if outdoorNeeded {
                answer.outdoorSite = outdoor.serving?.siteID
                answer.outdoorCarriers = shares(outdoor)
            }
            answer.indoorCarriers = indoor.map(shares)
            if let serving = primary.serving {
                answer.site = serving.siteID
                answer.sector = serving.sectorID
                answer.band = primary.strongestCarrier.map { primary.carriers[$0].band }
                answer.runnerUpSite = primary.runnerUp?.siteID
                if scope == .full {
                    answer.reason = reason(for: serving, at: indoor == nil ? facade : inside, indoor: indoor != nil, floor: floor)
                }
            }
            mobile.append(answer)
        }
        let lonLat = try toWGS84.toLonLat([inside])[0]
        var assumptions: [String] = []
        if scenario.provenance.fibreIsIllustrative {
            assumptions.append("The fibre network is illustrative, generated by rule: \(scenario.provenance.fibreRule)")
        }
        if coverage.plan.sectors.isEmpty {
            assumptions.append("No mobile sites are known in this scenario, so there are no mobile figures: they need the operators' sites and sectors ('litfass import sites FILE', or an OSM extract with masts).")
        }
        if scenario.sectors.contains(where: \.isAssumption) {
            assumptions.append("Operator sites, bands and powers are assumptions (operators do not publish them); see 'litfass info'.")
        }
        assumptions.append("Cautious values: 90 % of locations, shadow fading σ = \(Self.shadowSigmaLOSDB) dB (line of sight) / \(Self.shadowSigmaNLOSDB) dB (otherwise), 3GPP TR 38.901 Table 7.4.1-1 UMi.")
        if building != nil {
            assumptions.append("Indoor: building entry loss ITU-R P.2109 (traditional building, median), receiver on floor \(floor).")
        }
        return QueryAnswer(question: question, address: address, building: building, location: inside, locationWGS84: lonLat,
                           facade: facade, floor: floor, fibre: fibre, mobile: mobile,
                           improvement: scope == .full && covered ? try bestImprovement(at: building == nil ? facade : inside, indoor: building != nil, floor: floor) : nil,
                           assumptions: assumptions, attribution: scenario.provenance.attribution, noBuildingData: !covered)
    }

    /// A point 1.5 m outside the building's façade, on the side of the nearest street.
    func facadePoint(from inside: MapPoint, building: Building?, engine: GeometryEngine) throws -> MapPoint {
        guard let building else { return inside }
        let footprint = Geometry.multiPolygon(building.footprint)
        let street = router.graph.nearestStreetPoint(to: inside)?.point ?? MapPoint(x: inside.x, y: inside.y - 50)
        let dx = street.x - inside.x, dy = street.y - inside.y
        let length = max(1e-9, (dx * dx + dy * dy).squareRoot())
        var t = 0.0
        while t < length + 50 {
            let p = MapPoint(x: inside.x + dx / length * t, y: inside.y + dy / length * t)
            if !(try engine.contains(footprint, p)) {
                return MapPoint(x: p.x + dx / length * 1.5, y: p.y + dy / length * 1.5)
            }
            t += 0.5
        }
        return street
    }

    func figures(_ op: OperatorAtPoint, indoor: Bool) -> LinkFigures? {
        guard let k = op.strongestCarrier, let serving = op.serving, let sinr = op.sinrDB else { return nil }
        let sigma = serving.pathType == .lineOfSight ? Self.shadowSigmaLOSDB : Self.shadowSigmaNLOSDB
        let margin = Self.cautiousZ * sigma
        var dlCautious = 0.0, ulCautious = 0.0
        for carrier in op.carriers {
            guard let s = carrier.serving, let sinrC = carrier.sinrDB,
                  let planned = coverage.plan.sectors.first(where: { $0.sector.id == s.sectorID }) else { continue }
            dlCautious += coverage.physics.downlinkMbps(sinrDB: sinrC - margin, sector: planned.radio)
            ulCautious = max(ulCautious, coverage.physics.uplinkMbps(rsrpDBm: s.rsrpDBm - margin, sector: planned.radio))
        }
        _ = k
        return LinkFigures(rsrpDBm: serving.rsrpDBm, sinrDB: sinr, downlinkMbps: op.downlinkMbps, downlinkMbpsCautious: dlCautious,
                           uplinkMbps: op.uplinkMbps, uplinkMbpsCautious: ulCautious, buildingEntryLossDB: serving.buildingEntryLossDB)
    }

    func reason(for serving: SectorLink, at point: MapPoint, indoor: Bool, floor: Int) -> LinkReason? {
        guard let planned = coverage.plan.sectors.first(where: { $0.sector.id == serving.sectorID }) else { return nil }
        let height = coverage.options.receiverHeightMeters + Double(max(0, floor)) * coverage.storeyHeightMeters
        let link = coverage.kernel.link(planned.transmitter, to: point, receiverHeightMeters: height, indoor: indoor)
        let blockers = link.blockingBuildings.compactMap { i in i >= 0 && Int(i) < scenario.buildings.count ? scenario.buildings[Int(i)].id : nil }
        return LinkReason(pathType: serving.pathType.words, distanceMeters: serving.distanceMeters, blockingBuildings: blockers)
    }
}

extension QueryEngine {
    /// The not-yet-equipped candidate Litfaßsäule that would raise the small-cell operator's
    /// indoor download (median) at `point` most, with the small cell the assumptions describe.
    /// Candidates farther than the small cell's reach are skipped; nil when none improves it.
    func bestImprovement(at point: MapPoint, indoor: Bool, floor: Int) throws -> Improvement? {
        guard let (plan, candidates) = improvementPlan else { return nil }
        // Every sector's link once (the candidates' small cells evaluated in parallel), then each candidate's plan
        // (the live sectors plus that one small cell) combined from them.
        let isCandidate = Set(candidates.map(\.sector))
        let live = coverage.sectorLinks(at: point, plan: plan, indoor: indoor, floor: floor) { !isCandidate.contains($0) }
        let before = coverage.operators(from: live, plan: plan).first?.downlinkMbps ?? 0
        // A small cell that does not become the strongest sector of its carrier only adds interference. Its RSRP is
        // at most the free-space value at the pattern maximum (every path of the kernel is at least as lossy, over at
        // least the distance between the two cell centres), so candidates whose bound does not reach the carrier's
        // serving RSRP are not evaluated — the answer is the same.
        // (Free space bounds the ray-cast kernel's and the free-space model's losses, not the empirical models'.)
        // Indoors every ray-cast link also carries at least the smallest building entry loss (P.2109 at 0° elevation).
        let cell = coverage.scene.grid.cellSizeMeters
        let freeSpaceBounds = coverage.options.model == .rayCast || coverage.options.model == .freeSpace
        let entryBounds = indoor && coverage.options.model == .rayCast
        let reachable = Set(candidates.map(\.sector).filter { k in
            guard freeSpaceBounds else { return true }
            let planned = plan.sectors[k]
            let serving = plan.layers[planned.layer].sectors.compactMap { live[$0]?.rsrpDBm }.max() ?? -.infinity
            let d = max(1, point.distance(to: planned.transmitter.position) - 2 * 2.0.squareRoot() * cell)
            let bound = planned.transmitter.eirpDBm - planned.resourceElementOffsetDB
                - FreeSpace.pathLossDB(distanceMeters: d, frequencyHz: planned.transmitter.frequencyHz)
                - (entryBounds ? coverage.kernel.minimumEntryLossDB(frequencyHz: planned.transmitter.frequencyHz) : 0)
            return bound + 1e-3 >= serving
        })
        let links = coverage.sectorLinks(at: point, plan: plan, indoor: indoor, floor: floor) { reachable.contains($0) }
        var best: Improvement?
        for (candidate, sector) in candidates {
            guard let link = links[sector] else { continue }
            var trial = live
            trial[sector] = link
            guard let op = coverage.operators(from: trial, plan: plan).first else { continue }
            let gain = op.downlinkMbps - before
            guard gain > 0.5, gain > (best.map { $0.indoorDownlinkMbpsAfter - $0.indoorDownlinkMbpsBefore } ?? 0) else { continue }
            let rsrp = op.carriers.compactMap { c in c.serving?.siteID == candidate.id ? c.serving?.rsrpDBm : nil }.max() ?? op.rsrpDBm ?? -.infinity
            best = Improvement(candidateSite: candidate.id, operatorName: plan.operators[0].name,
                               distanceMeters: candidate.location.distance(to: point),
                               indoorDownlinkMbpsBefore: before, indoorDownlinkMbpsAfter: op.downlinkMbps, indoorRSRPDBmAfter: rsrp)
        }
        return best
    }
}
