import Foundation
import LitfassGeo
import LitfassScenario

/// How imported sites and sectors are named in the store.
///
/// Site: `imported/<operator>/<carrier site id>` (a `/` or `%` in the operator is written `%2F`,
/// `%25`). Sector: `<site>/<sector>/<band>`, where `<sector>` is the file's sector/cell id, else
/// the azimuth ("120"), else "omni". Upserts match on these ids: operator + site id.
public enum ImportedID {
    /// The store id of a carrier's site.
    public static func site(operatorName: String, siteID: String) -> String {
        "imported/" + escape(operatorName) + "/" + siteID
    }

    /// The store id of a sector.
    public static func sector(siteStoreID: String, sectorPart: String, band: String) -> String {
        siteStoreID + "/" + sectorPart + "/" + band
    }

    /// Operator and carrier site id of a store site id; nil for ids not made by an import.
    public static func parse(site id: String) -> (operatorName: String, siteID: String)? {
        guard id.hasPrefix("imported/") else { return nil }
        let rest = id.dropFirst("imported/".count)
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        return (unescape(String(rest[..<slash])), String(rest[rest.index(after: slash)...]))
    }

    /// The sector part of a sector id ("120", "omni", the file's cell id).
    public static func sectorPart(sectorID: String, siteStoreID: String, band: String) -> String {
        var part = Substring(sectorID)
        if part.hasPrefix(siteStoreID + "/") { part = part.dropFirst(siteStoreID.count + 1) }
        if part.hasSuffix("/" + band) { part = part.dropLast(band.count + 1) }
        return String(part)
    }

    static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x25 || $0 == 0x2F }) else { return s }
        return s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "/", with: "%2F")
    }

    static func unescape(_ s: String) -> String {
        guard s.utf8.contains(0x25) else { return s }
        return s.replacingOccurrences(of: "%2F", with: "/").replacingOccurrences(of: "%25", with: "%")
    }
}

/// A site with its sectors as stored: the unit an import inserts, replaces or (on rollback) restores.
struct StoredSite: Codable, Sendable, Equatable {
    struct SiteValues: Codable, Sendable, Equatable {
        var id: String, kind: String, x: Double, y: Double, structureHeight: Double, equipped: Bool, name: String?
    }
    struct SectorValues: Codable, Sendable, Equatable {
        var id: String, siteID: String, operatorName: String, band: String, frequencyHz: Double, bandwidthHz: Double
        var eirpDBm: Double, antennaHeight: Double, azimuth: Double, downtilt: Double, pattern: String, assumption: Bool
    }
    var site: SiteValues
    var sectors: [SectorValues]

    init(site: SiteValues, sectors: [SectorValues]) {
        self.site = site
        self.sectors = sectors
    }

    init(site: Site, sectors: [Sector]) {
        self.site = SiteValues(id: site.id, kind: site.kind.rawValue, x: site.location.x, y: site.location.y,
                               structureHeight: site.structureHeightMeters, equipped: site.isEquipped, name: site.name)
        self.sectors = sectors.map {
            SectorValues(id: $0.id, siteID: $0.siteID, operatorName: $0.operatorName, band: $0.band, frequencyHz: $0.centreFrequencyHz,
                         bandwidthHz: $0.bandwidthHz, eirpDBm: $0.eirpDBm, antennaHeight: $0.antennaHeightMeters,
                         azimuth: $0.azimuthDegrees, downtilt: $0.downtiltDegrees, pattern: $0.pattern, assumption: $0.isAssumption)
        }
    }

    /// The `sites` layer row.
    var siteFeature: (geometry: Geometry?, values: [FieldValue]) {
        (.point(MapPoint(x: site.x, y: site.y)), [.string(site.id), .string(site.kind), .real(site.structureHeight),
                                                  .integer(site.equipped ? 1 : 0), site.name.map { .string($0) } ?? .null])
    }
    static let siteFields = ["id", "kind", "structure_height_m", "equipped", "name"]

    /// The `sectors` table rows.
    var sectorFeatures: [(geometry: Geometry?, values: [FieldValue])] {
        sectors.map { s in
            (nil, [.string(s.id), .string(s.siteID), .string(s.operatorName), .string(s.band), .real(s.frequencyHz), .real(s.bandwidthHz),
                   .real(s.eirpDBm), .real(s.antennaHeight), .real(s.azimuth), .real(s.downtilt), .string(s.pattern), .integer(s.assumption ? 1 : 0)])
        }
    }
    static let sectorFields = ["id", "site_id", "operator", "band", "frequency_hz", "bandwidth_hz", "eirp_dbm", "antenna_height_m",
                               "azimuth_deg", "downtilt_deg", "pattern", "assumption"]
}

private func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-6 * max(1, abs(a), abs(b)) }

extension StoredSite.SiteValues {
    /// Equal within 1 mm in position and 1 µm in height (a round trip through lon/lat text is not exact).
    func sameAs(_ o: Self) -> Bool {
        id == o.id && kind == o.kind && equipped == o.equipped && name == o.name
            && ((x - o.x) * (x - o.x) + (y - o.y) * (y - o.y)).squareRoot() <= 0.001 && abs(structureHeight - o.structureHeight) <= 1e-6
    }
}

extension StoredSite.SectorValues {
    func sameAs(_ o: Self) -> Bool {
        id == o.id && siteID == o.siteID && operatorName == o.operatorName && band == o.band && pattern == o.pattern && assumption == o.assumption
            && close(frequencyHz, o.frequencyHz) && close(bandwidthHz, o.bandwidthHz) && close(eirpDBm, o.eirpDBm)
            && close(antennaHeight, o.antennaHeight) && close(azimuth, o.azimuth) && close(downtilt, o.downtilt)
    }
}

/// What an import will change: sites to insert or replace, with the row counts.
struct ImportPlan {
    /// A site of the file that differs from the store (or is new).
    struct Change {
        var new: StoredSite
        /// The stored state, nil when the site is new.
        var before: StoredSite?
    }
    var changes: [Change] = []
    var inserted = 0, updated = 0, unchanged = 0
    var sitesInserted = 0, sitesUpdated = 0, sectorsRemoved = 0
    /// Rows rejected while grouping (duplicates, one site id in two places).
    var rejects: [RejectedValue] = []

    /// Groups rows into sites (operator + site id), rejects duplicates and contradictions, and
    /// compares each site with the store.
    /// - Parameter stored: the imported sites in the store, by store id.
    init(rows: [ValidRow], stored: [String: StoredSite]) {
        var order: [String] = []
        var groups: [String: [Int]] = [:]
        groups.reserveCapacity(rows.count / 2)
        for (index, row) in rows.enumerated() {
            let id = ImportedID.site(operatorName: row.operatorName, siteID: row.siteID)
            if groups[id] == nil { order.append(id); groups[id] = [index] } else { groups[id]!.append(index) }
        }
        changes.reserveCapacity(order.count)
        for id in order {
            let group = groups[id]!
            let first = rows[group[0]]
            var accepted: [Int] = []
            var bySector: [String: Int] = [:]
            var sectors: [StoredSite.SectorValues] = []
            for index in group {
                let row = rows[index]
                let distance = row.location.distance(to: first.location)
                if distance > 50 {
                    rejects.append(RejectedValue(row: row.number, line: row.line, field: "site", value: row.siteID,
                                                 reason: "site \(row.siteID) of \(row.operatorName) is placed in row \(first.number); this row is \(Int(distance.rounded())) m away"))
                    continue
                }
                let sectorID = ImportedID.sector(siteStoreID: id, sectorPart: row.sectorPart, band: row.band.name)
                let sector = StoredSite.SectorValues(
                    id: sectorID, siteID: id, operatorName: row.operatorName, band: row.band.name, frequencyHz: row.centreFrequencyHz,
                    bandwidthHz: row.bandwidthHz, eirpDBm: row.eirpDBm, antennaHeight: row.antennaHeight, azimuth: row.azimuth ?? 0,
                    downtilt: row.tilt, pattern: row.azimuth == nil ? "omni" : "3gpp-sector", assumption: row.isAssumption)
                if let earlier = bySector[sectorID] {
                    let same = sectors.first { $0.id == sectorID }!.sameAs(sector)
                    let number = rows[earlier].number
                    rejects.append(RejectedValue(row: row.number, line: row.line, field: "sector", value: row.sectorPart,
                                                 reason: same ? "duplicate of row \(number)"
                                                     : "same site, sector and band as row \(number), with other values"))
                    continue
                }
                bySector[sectorID] = index
                sectors.append(sector)
                accepted.append(index)
            }
            var height = 0.0
            var name: String?
            for index in accepted {
                height = max(height, rows[index].structureHeight ?? 0, rows[index].antennaHeight)
                if name == nil { name = rows[index].name }
            }
            let site = StoredSite.SiteValues(id: id, kind: SiteKind.imported.rawValue, x: first.location.x, y: first.location.y,
                                             structureHeight: height, equipped: true, name: name)
            let new = StoredSite(site: site, sectors: sectors)
            guard let before = stored[id] else {
                inserted += sectors.count
                sitesInserted += 1
                changes.append(Change(new: new, before: nil))
                continue
            }
            // A row is unchanged when its own values are: its sector, and the site's position and
            // name it carries. (The structure height is derived from all rows of the site.)
            var rowSite = before.site
            rowSite.structureHeight = site.structureHeight
            let positionSame = rowSite.sameAs(site)
            var changed = !before.site.sameAs(site)
            var sameRows = 0, matched = 0
            for sector in sectors {
                // A site has a handful of sectors: a linear search beats building a dictionary.
                if let o = before.sectors.first(where: { $0.id == sector.id }) {
                    matched += 1
                    if positionSame && o.sameAs(sector) { sameRows += 1 } else { updated += 1; changed = true }
                } else {
                    inserted += 1
                    changed = true
                }
            }
            let removed = before.sectors.count - matched
            if removed > 0 { changed = true }
            if changed && sameRows == sectors.count && removed == 0 {
                updated += sameRows  // only an explicit structure height changed: every row says so
            } else {
                unchanged += sameRows
            }
            if changed {
                sectorsRemoved += removed
                sitesUpdated += 1
                changes.append(Change(new: new, before: before))
            }
        }
    }
}
