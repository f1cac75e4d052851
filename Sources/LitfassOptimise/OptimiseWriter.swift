import Foundation
import LitfassCoverage
import LitfassGeo
import LitfassScenario

/// Writes the outcome of an optimisation into a folder: `chosen-sites.csv` and
/// `chosen-sites.geojson` (build-out order, marginal gain, cost), `backhaul-routes.geojson`,
/// `curve.csv` (covered demand against sites and cost), `report.md` (for a council meeting) and,
/// unless switched off, coverage maps before and after (`maps/before/`, `maps/after/`, written by
/// the coverage module's `CoverageWriter`: GeoTIFF and PNG).
public struct OptimiseWriter {
    /// Whether to compute and write the before/after coverage maps.
    public var maps: Bool
    /// Cell size of the maps [m].
    public var mapResolutionMeters: Double

    /// A writer; maps on by default at 10 m.
    public init(maps: Bool = true, mapResolutionMeters: Double = 10) {
        self.maps = maps
        self.mapResolutionMeters = mapResolutionMeters
    }

    /// Writes every output.
    /// - Returns: the paths written.
    /// - Throws: `OptimiseError.output` naming the file; `CoverageError` from the map runs.
    @discardableResult
    public func write(_ result: OptimisationResult, site: SiteProblem, scenario: Scenario, objective: DemandObjective,
                      exact: ExactResult?, to directory: String) throws -> [String] {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw OptimiseError.output(file: directory, message: "cannot create the output folder: \(error.localizedDescription)")
        }
        func path(_ name: String) -> String { URL(fileURLWithPath: directory).appendingPathComponent(name).path }
        var written: [String] = []
        func text(_ name: String, _ content: String) throws {
            let file = path(name)
            do { try OutputTarget.write(Data(content.utf8), to: file) } catch let error as GeoError {
                throw OptimiseError.output(file: file, message: error.description.replacingOccurrences(of: file + ": ", with: ""))
            }
            written.append(file)
        }
        let projection = try? Projection(from: .utm32N, to: .wgs84)
        func lonLat(_ p: MapPoint) -> LonLat { (try? projection?.toLonLat([p]).first) ?? LonLat(lon: .nan, lat: .nan) }

        // Chosen sites.
        var csv = ["rank,id,kind,lon,lat,antenna_height_m,marginal_gain,cost_eur,equipment_eur,mounting_eur,backhaul_eur,backhaul_route_m,access_point,cumulative_covered,cumulative_cost_eur"]
        for (k, c) in result.chosen.enumerated() {
            let candidate = site.candidates[c.candidate], cost = site.costs[c.candidate]
            let ll = lonLat(candidate.location)
            csv.append([String(k + 1), quote(candidate.id), candidate.kind.rawValue, String(format: "%.7f", ll.lon), String(format: "%.7f", ll.lat),
                        fmt(candidate.antennaHeightMeters), fmt(c.marginalGain), fmt(c.cost), fmt(cost.equipmentEUR), fmt(cost.mountingEUR),
                        fmt(cost.backhaulEUR), fmt(cost.backhaulRouteMeters), quote(cost.accessPointID ?? ""), fmt(c.cumulativeCovered),
                        fmt(c.cumulativeCost)].joined(separator: ","))
        }
        try text("chosen-sites.csv", csv.joined(separator: "\n") + "\n")

        try geoJSON(path("chosen-sites.geojson"), layer: "chosen_sites", kind: .point, fields: [
            FieldDefinition("rank", .integer), FieldDefinition("id", .string), FieldDefinition("kind", .string),
            FieldDefinition("marginal_gain", .real), FieldDefinition("cost_eur", .real), FieldDefinition("backhaul_eur", .real),
            FieldDefinition("backhaul_route_m", .real), FieldDefinition("cumulative_covered", .real),
        ], features: result.chosen.enumerated().map { k, c in
            let candidate = site.candidates[c.candidate], cost = site.costs[c.candidate]
            let ll = lonLat(candidate.location)
            return (Geometry.point(MapPoint(x: ll.lon, y: ll.lat)), [
                FieldValue.integer(Int64(k + 1)), .string(candidate.id), .string(candidate.kind.rawValue), .real(c.marginalGain),
                .real(c.cost), .real(cost.backhaulEUR), .real(cost.backhaulRouteMeters), .real(c.cumulativeCovered),
            ])
        })
        written.append(path("chosen-sites.geojson"))
        try geoJSON(path("backhaul-routes.geojson"), layer: "backhaul_routes", kind: .lineString, fields: [
            FieldDefinition("id", .string), FieldDefinition("route_m", .real), FieldDefinition("civil_works_eur", .real),
            FieldDefinition("access_point", .string), FieldDefinition("illustrative", .integer),
        ], features: result.chosen.map { c in
            let cost = site.costs[c.candidate]
            let line = LineString(cost.route.points.map { let ll = lonLat($0); return MapPoint(x: ll.lon, y: ll.lat) })
            return (Geometry.lineString(line), [
                FieldValue.string(site.candidates[c.candidate].id), .real(cost.backhaulRouteMeters), .real(cost.backhaulEUR),
                .string(cost.accessPointID ?? ""), .integer(scenario.provenance.fibreIsIllustrative ? 1 : 0),
            ])
        })
        written.append(path("backhaul-routes.geojson"))

        // Curve.
        var curve = ["sites,cost_eur,covered,gain,covered_share,beyond_limit"]
        for p in result.curve {
            curve.append([String(p.sites), fmt(p.cost), fmt(p.covered), fmt(p.gain), String(format: "%.6f", result.totalWeight > 0 ? p.covered / result.totalWeight : 0),
                          p.beyondLimit ? "1" : "0"].joined(separator: ","))
        }
        try text("curve.csv", curve.joined(separator: "\n") + "\n")

        // Maps before and after.
        var mapNote = "Maps were not computed (--no-maps)."
        if maps {
            var options = CoverageOptions()
            options.operators = [site.operatorName]
            options.resolutionMeters = mapResolutionMeters
            options.model = site.options.model
            options.threads = site.options.threads
            options.assumptions = site.options.assumptions
            let chosenSites = result.chosen.map { c -> Site in
                let candidate = site.candidates[c.candidate]
                return Site(id: "candidate:" + candidate.id, kind: candidate.kind == .column ? .advertisingColumn : .imported,
                            location: candidate.location, structureHeightMeters: candidate.antennaHeightMeters, isEquipped: true, name: candidate.name)
            }
            for (label, sectors) in [("before", site.existingSectors), ("after", site.existingSectors + result.chosen.map { site.candidateSectors[$0.candidate] })] {
                guard !sectors.isEmpty else { continue }
                var s = scenario
                s.sites = scenario.sites + chosenSites
                s.sectors = sectors
                let run = try CoverageRun(scenario: s, options: options)
                let maps = try run.run()
                written += try CoverageWriter(previews: true).write(maps, to: path("maps/\(label)"))
            }
            mapNote = site.existingSectors.isEmpty
                ? "maps/after/ holds the coverage of the chosen sites (there is no live network to show before)."
                : "maps/before/ and maps/after/ hold RSRP, SINR, best-server and throughput maps (GeoTIFF for QGIS, PNG previews) of the \(site.bandLabel) layer."
        }

        try text("report.md", report(result, site: site, scenario: scenario, objective: objective, exact: exact, mapNote: mapNote))
        return written
    }

    /// The council report: plain language, assumptions and the illustrative fibre labelled.
    func report(_ r: OptimisationResult, site: SiteProblem, scenario: Scenario, objective: DemandObjective, exact: ExactResult?, mapNote: String) -> String {
        let unit = objective.unit
        func share(_ v: Double) -> String { r.totalWeight > 0 ? String(format: "%.1f %%", 100 * v / r.totalWeight) : "–" }
        let o = site.options
        var md = "# Which sites to equip — small cells for \(site.operatorName)\n\n"
        md += "Litfass \(LitfassVersion.string) chose \(r.chosen.count) site\(r.chosen.count == 1 ? "" : "s") out of \(site.candidates.count) candidates (\(r.limit)).\n\n"
        md += "## In short\n\n"
        md += "- Today the live network (\(site.existingSectors.count) \(site.bandLabel) sectors of \(site.operatorName)) covers \(fmt0(r.baselineCovered)) \(unit) (\(share(r.baselineCovered))) of \(fmt0(r.totalWeight)).\n"
        md += "- With the chosen sites: \(fmt0(r.covered)) \(unit) (\(share(r.covered))), that is **\(fmt0(r.gain)) \(unit) more**, for **\(fmt0(r.cost)) EUR** in total.\n"
        md += "- No choice within the same limit can add more than \(fmt0(r.upperBound - r.baselineCovered)) \(unit): the chosen sites reach at least \(String(format: "%.0f %%", 100 * r.guaranteedShare)) of the best possible.\n"
        if let exact {
            md += "- The exact solver (GLPK) \(exact.provenOptimal ? "proved" : "found, within its time limit,") an optimum of \(fmt0(exact.relaxedGain)) \(unit) added"
            md += o.minSINRDB == nil ? " for the same model.\n" : " for the simplified model that ignores the interference the new sites cause each other (so it can only be higher than what is really possible); its choice, with all interference counted, adds \(fmt0(site.problem.coveredWeight(of: exact.selection) - r.baselineCovered)) \(unit).\n"
        }
        md += "\n## The sites, in the order to build them\n\n| # | site | kind | adds (\(unit)) | cost (EUR) | of which fibre (EUR, route m) |\n|---|---|---|---:|---:|---:|\n"
        for (k, c) in r.chosen.enumerated() {
            let cand = site.candidates[c.candidate], cost = site.costs[c.candidate]
            md += "| \(k + 1) | \(cand.name.map { "\($0) (\(cand.id))" } ?? cand.id) | \(cand.kind.rawValue) | \(fmt0(c.marginalGain)) | \(fmt0(c.cost)) | \(fmt0(cost.backhaulEUR)) (\(fmt0(cost.backhaulRouteMeters)) m) |\n"
        }
        if r.chosen.isEmpty { md += "| – | no site adds coverage under these thresholds | | | | |\n" }
        md += "\nEach row's \"adds\" counts what the site covers beyond the sites above it and the live network; a later site adds less because part of its area is already served. `curve.csv` shows how coverage grows with more sites or money (rows marked beyond_limit continue past the limit).\n\n"
        md += "## How the choice was made\n\n"
        md += "A place counts as covered when its best signal (live network or new sites) reaches **RSRP ≥ \(short(o.minRSRPDBm)) dBm**"
        md += o.minSINRDB.map { " and **SINR ≥ \(short($0)) dB** (signal against the interference of all other cells, the new ones included)" } ?? ""
        md += ". What the live network already covers is not credited to new sites; places a new site spoils by its interference count against it.\n\n"
        md += "Demand: " + (objective == .area ? "every building, weighted by its floor area (footprint × storeys; storeys from the OSM levels or height ÷ \(short(scenario.assumptions.buildingHeights.storeyHeightMeters.value)) m), evaluated inside the building (building entry loss included).\n\n"
            : objective == .buildings ? "every building counts 1, evaluated inside the building (building entry loss included).\n\n"
            : "the demand layer's weights, evaluated at each feature (a point inside polygons).\n\n")
        md += "Search: a greedy that picks the site with the most added coverage\(r.limit.isBudget ? " per euro" : "") one at a time (compared with the best single site and other starts), then swaps, adds and removes sites while that improves the result. Best start: \(r.start), improved by \(r.localSearchMoves) move(s).\n\n"
        md += "Bound: \(r.boundSource). Because interference makes the real objective irregular, the bound is computed on a simplified model that never counts less than the real one; the true gap may be smaller than shown.\n\n"
        md += "## Costs\n\nPer site: small-cell equipment \(fmt0(scenario.assumptions.costs.smallCellEquipmentEUR.value)) EUR and mounting \(fmt0(scenario.assumptions.costs.smallCellMountingEUR.value)) EUR (assumptions), plus fibre backhaul: the street route to the nearest fibre access point × civil works per metre by street class (\(scenario.assumptions.costs.civilWorksEURPerMeter.sorted { $0.key < $1.key }.map { "\($0.key) \(fmt0($0.value.value))" }.joined(separator: ", ")) EUR/m; assumptions). A column next to a trunk is cheap to connect; one 300 m away is not.\n\n"
        if scenario.provenance.fibreIsIllustrative {
            md += "**The fibre network is ILLUSTRATIVE**: \(scenario.provenance.fibreRule) Backhaul costs show the method, not real prices or routes.\n\n"
        }
        md += "## Assumptions\n\n"
        md += "- Small cell: \(scenario.assumptions.smallCells.band) \(short(scenario.assumptions.smallCells.centreFrequencyMHz.value)) MHz, \(short(scenario.assumptions.smallCells.eirpDBm.value)) dBm EIRP, \(scenario.assumptions.smallCells.pattern.value) antenna at the candidate's height (columns \(fmt(scenario.assumptions.smallCells.antennaHeightMeters.value)) m); computed to \(fmt0(o.candidateRangeMeters)) m.\n"
        md += "- Live network: \(o.existing == .keep ? "the operator's co-channel sectors from the scenario (configurations assumed: sites from OSM, powers, azimuths and tilts from the assumptions file)" : "ignored (--existing ignore)").\n"
        md += "- Propagation: Litfass ray-cast kernel (\(o.model.rawValue)) on a \(short(o.resolutionMeters)) m grid of the buildings, \(o.maxCornerTurns.map { "at most \($0) corner turn(s)" } ?? "corner paths as the kernel's default"); flat ground.\n"
        for line in o.assumptions.lines { md += "- \(line)\n" }
        let assumed = scenario.assumptions.assumedValues
        md += "- \(assumed.count) further values of the scenario are assumptions (operator data is not public); `litfass info --format json` lists them.\n\n"
        md += "## Files\n\n- `chosen-sites.csv`, `chosen-sites.geojson`: the sites in build order with gain and cost.\n- `backhaul-routes.geojson`: the fibre routes priced.\n- `curve.csv`: covered demand against the number of sites and the cost.\n- \(mapNote)\n"
        if exact != nil { md += "- `exact-model.lp`: the integer programme given to GLPK (CPLEX LP format).\n" }
        for note in r.notes + site.warnings { md += "\nNote: \(note)\n" }
        md += "\nData: \(scenario.provenance.attribution)\n"
        return md
    }

    func geoJSON(_ file: String, layer: String, kind: GeometryKind, fields: [FieldDefinition], features: [(geometry: Geometry?, values: [FieldValue])]) throws {
        do {
            try OutputTarget.check(file)
            try? FileManager.default.removeItem(atPath: file)
            let writer = try VectorWriter(path: file)
            try writer.createLayer(layer, geometry: kind, crs: .wgs84, fields: fields)
            try writer.write(layer: layer, features: features)
            writer.close()
        } catch {
            throw OptimiseError.output(file: file, message: "\(error)")
        }
    }
}

extension SelectionLimit {
    /// Whether the limit is a budget.
    var isBudget: Bool { if case .budget = self { return true } else { return false } }
}

func fmt(_ v: Double) -> String {
    if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
    return String(format: "%.3f", v)
}

func short(_ v: Double) -> String { String(format: "%g", v) }

func fmt0(_ v: Double) -> String {
    // Inputs are range-checked where they are read (DemandSource); this only keeps a report from trapping.
    guard v.isFinite, abs(v) < 9e18 else { return String(format: "%.4g", v) }
    let n = Int64(v.rounded())
    let digits = String(abs(n))
    var out = ""
    for (k, ch) in digits.enumerated() {
        if k > 0 && (digits.count - k) % 3 == 0 { out += "," }
        out.append(ch)
    }
    return (n < 0 ? "-" : "") + out
}

/// A text cell of a CSV output: formula-like text neutralised, quoted when needed (`CSVCell.field`).
func quote(_ s: String) -> String { CSVCell.field(s) }
