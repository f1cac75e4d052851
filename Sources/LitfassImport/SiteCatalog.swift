import Foundation
import LitfassGeo
import LitfassRadio
import LitfassScenario

/// One stored site with its sectors, as `litfass sites list` shows it.
public struct SiteListing: Sendable {
    /// The site as stored.
    public var site: Site
    /// Its sectors.
    public var sectors: [Sector]
    /// For imported sites: the operator and the carrier's own site id.
    public var operatorName: String?, carrierSiteID: String?
    /// Position in WGS84.
    public var position: LonLat
}

/// Output formats of `litfass sites export`.
public enum SiteExportFormat: String, Sendable, CaseIterable {
    /// CSV with WGS84 `lon`, `lat` columns.
    case csv
    /// GeoJSON, WGS84 points.
    case geojson
    /// GeoPackage, EPSG:25832 points.
    case gpkg

    /// The GDAL driver.
    var driver: String {
        switch self {
        case .csv: return "CSV"
        case .geojson: return "GeoJSON"
        case .gpkg: return "GPKG"
        }
    }
}

/// Reads what a store holds for `sites list` and writes `sites export` files that import back
/// unchanged (`litfass import sites` recognises every column they have).
public enum SiteCatalog {
    /// The sites of a store: by default only imported ones; `includeAll` adds rooftop masts and
    /// equipped columns. Sorted by operator, then site id.
    /// - Throws: `ImportError.store` when the store cannot be read.
    public static func sites(store: String, includeAll: Bool = false, operatorName: String? = nil) throws -> [SiteListing] {
        let scenario: Scenario
        do { scenario = try ScenarioStore.load(path: store) } catch let error as ScenarioError {
            throw ImportError.store(file: store, message: error.description.replacingOccurrences(of: store + ": ", with: ""))
        }
        var sectors: [String: [Sector]] = [:]
        for sector in scenario.sectors { sectors[sector.siteID, default: []].append(sector) }
        let chosen = scenario.sites.filter { includeAll || $0.kind == .imported }
        let positions = try ImportLedger.geo(store) { try Projection(from: .utm32N, to: .wgs84).toLonLat(chosen.map(\.location)) }
        var listings: [SiteListing] = []
        for (site, position) in zip(chosen, positions) {
            let parsed = site.kind == .imported ? ImportedID.parse(site: site.id) : nil
            let listing = SiteListing(site: site, sectors: sectors[site.id] ?? [], operatorName: parsed?.operatorName,
                                      carrierSiteID: parsed?.siteID, position: position)
            if let operatorName, listing.operatorName != operatorName && !(listing.sectors.contains { $0.operatorName == operatorName }) { continue }
            listings.append(listing)
        }
        return listings.sorted { ($0.operatorName ?? "~", $0.carrierSiteID ?? $0.site.id) < ($1.operatorName ?? "~", $1.carrierSiteID ?? $1.site.id) }
    }

    /// The columns of an export, in order (CSV adds `lon`, `lat` after `name`).
    static let exportFields: [FieldDefinition] = [
        .init("operator", .string), .init("site_id", .string), .init("sector", .string), .init("name", .string),
        .init("height_m", .real), .init("structure_height_m", .real), .init("azimuth_deg", .real), .init("tilt_deg", .real),
        .init("band", .string), .init("technology", .string), .init("frequency_mhz", .real), .init("bandwidth_mhz", .real),
        .init("eirp_dbm", .real),
    ]

    /// Writes the imported sites of a store, one row per sector, to a new file (an existing file is
    /// replaced). CSV carries lon/lat columns (WGS84), GeoJSON point geometry in WGS84, GeoPackage
    /// point geometry in EPSG:25832.
    /// - Returns: the number of rows written.
    /// - Throws: `ImportError.store` or `ImportError.export` naming the file.
    @discardableResult
    public static func export(store: String, to path: String, format: SiteExportFormat, operatorName: String? = nil) throws -> Int {
        let listings = try sites(store: store, includeAll: false, operatorName: operatorName)
        var fields = exportFields
        if format == .csv { fields.insert(contentsOf: [.init("lon", .real), .init("lat", .real)], at: 4) }
        var rows: [(geometry: Geometry?, values: [FieldValue])] = []
        for listing in listings {
            let site = listing.site
            for sector in listing.sectors.sorted(by: { $0.id < $1.id }) {
                var values: [FieldValue] = [
                    .string(listing.operatorName ?? sector.operatorName), .string(listing.carrierSiteID ?? site.id),
                    .string(ImportedID.sectorPart(sectorID: sector.id, siteStoreID: site.id, band: sector.band)),
                    site.name.map { .string($0) } ?? .null,
                    .real(sector.antennaHeightMeters), .real(site.structureHeightMeters),
                    sector.pattern == "omni" ? .null : .real(sector.azimuthDegrees), .real(sector.downtiltDegrees),
                    .string(sector.band), Band.technologyName(sector.band).map { .string($0) } ?? .null,
                    .real(sector.centreFrequencyHz / 1e6), .real(sector.bandwidthHz / 1e6), .real(sector.eirpDBm),
                ]
                let geometry: Geometry?
                switch format {
                case .csv:
                    values.insert(contentsOf: [.real(listing.position.lon), .real(listing.position.lat)], at: 4)
                    geometry = nil
                case .geojson: geometry = .point(MapPoint(x: listing.position.lon, y: listing.position.lat))
                case .gpkg: geometry = .point(site.location)
                }
                rows.append((geometry, values.map { neutralised($0, csv: format == .csv) }))
            }
        }
        do { try OutputTarget.check(path) } catch let error as GeoError {
            throw ImportError.export(file: path, message: error.description.dropPrefix(path + ": "))
        }
        try? FileManager.default.removeItem(atPath: path)
        do {
            let writer = try VectorWriter(path: path, driver: format.driver)
            let crs: CRS? = format == .csv ? nil : format == .geojson ? .wgs84 : .utm32N
            try writer.transaction {
                try writer.createLayer("imported_sites", geometry: format == .csv ? .none : .point, crs: crs, fields: fields)
                try writer.write(layer: "imported_sites", features: rows)
            }
            writer.close()
        } catch let error as GeoError {
            try? FileManager.default.removeItem(atPath: path)
            let text = error.description
            throw ImportError.export(file: path, message: text.hasPrefix(path + ": ") ? String(text.dropFirst(path.count + 2)) : text)
        }
        return rows.count
    }

    /// For CSV: text cells a spreadsheet would take for a formula get a leading `'` (`CSVCell`).
    static func neutralised(_ value: FieldValue, csv: Bool) -> FieldValue {
        guard csv, case .string(let text) = value else { return value }
        return .string(CSVCell.neutralised(text))
    }
}

extension Band {
    /// "LTE" or "NR" for a preset's name; nil for an unknown band.
    static func technologyName(_ name: String) -> String? { Band.named(name)?.technology.rawValue }
}
