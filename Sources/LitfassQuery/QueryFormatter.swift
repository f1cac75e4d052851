import Foundation
import LitfassGeo
import LitfassScenario

/// Renders answers for people (text, Markdown) and programs (JSON, documented in docs/QUERY.md).
public enum QueryFormatter {
    static func mbps(_ value: Double) -> String {
        value >= 100 ? String(format: "%.0f", value) : value >= 10 ? String(format: "%.0f", value) : String(format: "%.1f", value)
    }

    static func eur(_ value: Double) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.groupingSeparator = ","
        formatter.maximumFractionDigits = 0
        return (formatter.string(from: NSNumber(value: value)) ?? String(Int(value))) + " EUR"
    }

    static func title(_ a: QueryAnswer) -> String {
        var parts: [String] = []
        if let address = a.address {
            parts.append("\(address.street) \(address.houseNumber)" + ([address.postcode, address.city].compactMap { $0 }.isEmpty ? "" : ", " + [address.postcode, address.city].compactMap { $0 }.joined(separator: " ")))
        } else {
            parts.append(String(format: "%.6f, %.6f", a.locationWGS84.lon, a.locationWGS84.lat))
        }
        if let b = a.building {
            parts.append("\(b.type == "yes" ? "building" : b.type + " building"), \(String(format: "%.1f", b.heightMeters)) m high (\(heightWords(b.heightSource)))")
        } else {
            parts.append("no building here: outdoor values only")
        }
        return parts.joined(separator: " — ")
    }

    static func heightWords(_ source: HeightSource) -> String {
        switch source {
        case .osmHeight: return "from OSM height"
        case .osmLevels: return "from OSM levels"
        case .typeDefault: return "default for its type"
        case .layerAttribute: return "measured"
        }
    }

    static func fibreLines(_ f: FibreAnswer?) -> [String] {
        guard let f else { return ["Fibre: no street network near this place — cannot route."] }
        let label = f.illustrative ? " (ILLUSTRATIVE network — real routes are not public)" : ""
        return [
            "Fibre\(label): " + (f.passed ? "passes the building" : String(format: "nearest trunk %.0f m away", f.distanceToTrunkMeters))
                + String(format: "; %.0f m along the streets to the nearest access point; about %@.", f.routeMeters, eur(f.estimatedCostEUR)),
            "  → " + f.productClass.explanation,
        ]
    }

    static func range(_ cautious: Double, _ median: Double) -> String { "\(mbps(cautious))–\(mbps(median))" }

    /// Text for a person: the answer first, short, with units.
    public static func text(_ a: QueryAnswer) -> String {
        var lines = [title(a), ""]
        lines += fibreLines(a.fibre)
        lines.append("")
        let place = a.building == nil ? "outdoor" : "indoor, floor \(a.floor)"
        lines.append("Mobile (\(place); download and upload in Mbit/s, cautious–median):")
        if a.noBuildingData {
            lines.append("  no building data here: the scenario's buildings end before this place, so there is no radio answer")
        } else if a.mobile.isEmpty {
            lines.append("  no mobile sites are known in this scenario, so there are no mobile figures (see the note below)")
        }
        let width = max(10, a.mobile.map(\.operatorName.count).max() ?? 0)
        for op in a.mobile where !a.noBuildingData {
            let name = op.operatorName.padding(toLength: width, withPad: " ", startingAt: 0)
            guard let f = op.indoor ?? op.outdoor, let band = op.band else {
                lines.append("  \(name)  no service"); continue
            }
            _ = band
            lines.append("  \(name)  DL \(range(f.downlinkMbpsCautious, f.downlinkMbps))  UL \(range(f.uplinkMbpsCautious, f.uplinkMbps))"
                         + "  RSRP \(whole(f.rsrpDBm)) dBm  SINR \(whole(f.sinrDB)) dB  via \(carriers(op, indoor: op.indoor != nil)) from \(op.site ?? "?")")
            if a.building != nil, let o = op.outdoor {
                let otherMast = op.indoor != nil && op.outdoorSite != nil && op.outdoorSite != op.site
                lines.append("  \(String(repeating: " ", count: width))  outdoor: DL \(range(o.downlinkMbpsCautious, o.downlinkMbps))  UL \(range(o.uplinkMbpsCautious, o.uplinkMbps))"
                             + "  RSRP \(whole(o.rsrpDBm)) dBm  SINR \(whole(o.sinrDB)) dB" + (otherMast ? "  served from another mast: \(op.outdoorSite!)" : ""))
            }
        }
        if let best = a.mobile.filter({ $0.reason != nil }).max(by: { ($0.indoor ?? $0.outdoor)?.downlinkMbps ?? 0 < ($1.indoor ?? $1.outdoor)?.downlinkMbps ?? 0 }),
           let r = best.reason {
            lines.append("")
            var why = "Why: \(best.operatorName)'s best link reaches the building \(r.pathType) from \(best.site ?? "?"), \(String(format: "%.0f", r.distanceMeters)) m away"
            if !r.blockingBuildings.isEmpty {
                why += "; \(r.blockingBuildings.count) building\(r.blockingBuildings.count == 1 ? "" : "s") block the direct path (\(r.blockingBuildings.prefix(3).joined(separator: ", "))\(r.blockingBuildings.count > 3 ? ", …" : ""))"
            }
            if let f = best.indoor, f.buildingEntryLossDB > 0 { why += String(format: "; entering the building costs %.0f dB", f.buildingEntryLossDB) }
            lines.append(why + ".")
        }
        if let i = a.improvement {
            lines.append("")
            lines.append("What would change it: equipping the Litfaßsäule \(i.candidateSite) (\(String(format: "%.0f", i.distanceMeters)) m away) would raise \(i.operatorName)'s indoor download from \(mbps(i.indoorDownlinkMbpsBefore)) to \(mbps(i.indoorDownlinkMbpsAfter)) Mbit/s (median).")
        }
        lines.append("")
        lines += a.assumptions.map { "Note: " + $0 }
        lines.append("Data: \(a.attribution)")
        return lines.joined(separator: "\n")
    }

    /// Markdown for a report.
    public static func markdown(_ a: QueryAnswer) -> String {
        var lines = ["# \(title(a))", "", "## Fibre", ""]
        lines += fibreLines(a.fibre).map { $0.hasPrefix("  → ") ? "**" + $0.dropFirst(4) + "**" : $0 }
        let place = a.building == nil ? "outdoor" : "indoor, floor \(a.floor)"
        lines += ["", "## Mobile (\(place))", "",
                  "| operator | carriers | site | download [Mbit/s] cautious–median | upload [Mbit/s] cautious–median | RSRP [dBm] | SINR [dB] | outdoor download [Mbit/s] |",
                  "|---|---|---|---|---|---|---|---|"]
        if a.noBuildingData { lines.append("| – | – | – | no building data here | – | – | – | – |") }
        else if a.mobile.isEmpty { lines.append("| – | – | – | no mobile sites known | – | – | – | – |") }
        for op in a.mobile where !a.noBuildingData {
            guard let f = op.indoor ?? op.outdoor else { lines.append("| \(op.operatorName) | – | – | no service | – | – | – | – |"); continue }
            let outdoor = op.outdoor.map { range($0.downlinkMbpsCautious, $0.downlinkMbps) } ?? "–"
            lines.append("| \(op.operatorName) | \(carriers(op, indoor: op.indoor != nil)) | \(op.site ?? "–") | \(range(f.downlinkMbpsCautious, f.downlinkMbps)) | \(range(f.uplinkMbpsCautious, f.uplinkMbps)) | "
                         + "\(whole(f.rsrpDBm)) | \(whole(f.sinrDB)) | " + outdoor
                         + (op.indoor != nil && op.outdoorSite != nil && op.outdoorSite != op.site ? " (from \(op.outdoorSite!))" : "") + " |")
        }
        lines += ["", "## Why", ""]
        for op in a.mobile {
            guard let r = op.reason else { continue }
            lines.append("- **\(op.operatorName)**: \(r.pathType) from \(op.site ?? "?"), \(String(format: "%.0f", r.distanceMeters)) m"
                         + (r.blockingBuildings.isEmpty ? "" : "; blocked by \(r.blockingBuildings.count) building(s)")
                         + (op.runnerUpSite.map { "; runner-up site \($0)" } ?? ""))
        }
        if let i = a.improvement {
            lines += ["", "## What would change it", "",
                      "Equipping the Litfaßsäule \(i.candidateSite) (\(String(format: "%.0f", i.distanceMeters)) m away) would raise \(i.operatorName)'s indoor download from \(mbps(i.indoorDownlinkMbpsBefore)) to \(mbps(i.indoorDownlinkMbpsAfter)) Mbit/s (median)."]
        }
        lines += ["", "## Assumptions", ""] + a.assumptions.map { "- " + $0 } + ["", "_Data: \(a.attribution)_"]
        return lines.joined(separator: "\n")
    }

    /// `v` rounded to `digits` decimals, never −0 (a SINR of −0.04 dB is "0", not "-0").
    static func round(_ v: Double, _ digits: Int = 1) -> Double {
        let f = pow(10.0, Double(digits))
        return (v * f).rounded() / f + 0.0     // −0.0 + 0.0 = +0.0 (IEEE 754 round-to-nearest)
    }

    /// A value in whole units for text, never "-0".
    static func whole(_ v: Double) -> String { String(format: "%.0f", v.rounded() + 0.0) }

    /// The carriers that carry an operator's downlink, largest share first: those with at least 10 %
    /// of the sum ("n78 + B3"); the strongest carrier's band when no carrier carries any.
    static func carriers(_ op: OperatorAnswer, indoor: Bool) -> String {
        let shares = (indoor ? op.indoorCarriers : op.outdoorCarriers) ?? []
        let total = shares.reduce(0) { $0 + $1.downlinkMbps }
        guard total > 0 else { return op.band ?? "?" }
        return shares.filter { $0.downlinkMbps >= 0.1 * total }.sorted { $0.downlinkMbps > $1.downlinkMbps }.map(\.band).joined(separator: " + ")
    }

    static func json(_ f: LinkFigures?) -> Any {
        guard let f else { return NSNull() }
        return ["rsrpDBm": round(f.rsrpDBm), "sinrDB": round(f.sinrDB), "downlinkMbps": round(f.downlinkMbps), "downlinkMbpsCautious": round(f.downlinkMbpsCautious),
                "uplinkMbps": round(f.uplinkMbps), "uplinkMbpsCautious": round(f.uplinkMbpsCautious), "buildingEntryLossDB": round(f.buildingEntryLossDB)]
    }

    /// The JSON object of docs/QUERY.md.
    public static func jsonObject(_ a: QueryAnswer) -> [String: Any] {
        var object: [String: Any] = [
            "question": a.question,
            "location": ["lon": round(a.locationWGS84.lon, 6), "lat": round(a.locationWGS84.lat, 6)],
            "floor": a.floor,
            "noBuildingData": a.noBuildingData,
            "assumptions": a.assumptions,
            "attribution": a.attribution,
        ]
        object["address"] = a.address.map { ["street": $0.street, "houseNumber": $0.houseNumber, "postcode": $0.postcode ?? NSNull(), "city": $0.city ?? NSNull()] as [String: Any] } ?? NSNull()
        object["building"] = a.building.map { ["id": $0.id, "heightMeters": round($0.heightMeters, 2), "heightSource": $0.heightSource.rawValue, "type": $0.type,
                                               "footprintSquareMeters": round($0.footprintAreaSquareMeters)] as [String: Any] } ?? NSNull()
        object["fibre"] = a.fibre.map { f in
            ["passed": f.passed, "routeMeters": round(f.routeMeters), "distanceToTrunkMeters": round(f.distanceToTrunkMeters), "estimatedCostEUR": f.estimatedCostEUR,
             "productClass": f.productClass.rawValue, "accessPoint": f.accessPointID ?? NSNull(), "illustrative": f.illustrative] as [String: Any]
        } ?? NSNull()
        object["mobile"] = a.mobile.map { op -> [String: Any] in
            [
                "operator": op.operatorName, "site": op.site ?? NSNull(), "sector": op.sector ?? NSNull(), "band": op.band ?? NSNull(),
                "runnerUpSite": op.runnerUpSite ?? NSNull(), "indoor": json(op.indoor), "outdoor": json(op.outdoor),
                "outdoorSite": op.outdoorSite ?? NSNull(),
                "indoorCarriers": op.indoorCarriers.map { $0.map { ["band": $0.band, "downlinkMbps": round($0.downlinkMbps), "uplinkMbps": round($0.uplinkMbps)] } } ?? NSNull(),
                "outdoorCarriers": op.outdoorCarriers.map { $0.map { ["band": $0.band, "downlinkMbps": round($0.downlinkMbps), "uplinkMbps": round($0.uplinkMbps)] } } ?? NSNull(),
                "why": op.reason.map { ["pathType": $0.pathType, "distanceMeters": round($0.distanceMeters), "blockingBuildings": $0.blockingBuildings] as [String: Any] } ?? NSNull(),
            ]
        }
        object["improvement"] = a.improvement.map {
            ["candidateSite": $0.candidateSite, "operator": $0.operatorName, "distanceMeters": round($0.distanceMeters),
             "indoorDownlinkMbpsBefore": round($0.indoorDownlinkMbpsBefore), "indoorDownlinkMbpsAfter": round($0.indoorDownlinkMbpsAfter),
             "indoorRSRPDBmAfter": round($0.indoorRSRPDBmAfter)] as [String: Any]
        } ?? NSNull()
        return object
    }
}
