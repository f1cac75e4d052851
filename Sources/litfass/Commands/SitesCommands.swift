import Foundation
import LitfassGeo
import LitfassImport
import LitfassScenario

/// `litfass sites list`: the sites a store holds.
enum SitesListCommand: Command {
    static let name = "sites list"
    static let summary = "the imported sites of a scenario (with --all: every equipped site)"
    static let help = """
    Usage: litfass sites list [--scenario FILE] [--operator NAME] [--all] [--format text|json]

    Lists the imported sites of a scenario with their position, height and sectors (bands and
    azimuths). With --all also the rooftop masts and equipped columns the scenario assumes.

    Options:
    \(ScenarioArgument.help)
      --operator NAME     only this operator's sites
      --all               every equipped site, not only imported ones
      --format text|json  output format (default text)
    """

    static func run(_ arguments: inout Arguments, output: Output) throws -> Int32 {
        let all = arguments.flag("--all")
        let operatorName = try arguments.option("--operator")
        let format = try arguments.choice("--format", among: ["text", "json"]) ?? "text"
        let store = try ScenarioArgument.path(&arguments)
        try arguments.finish()
        let sites = try SiteCatalog.sites(store: store, includeAll: all, operatorName: operatorName)
        if format == "json" {
            output.print(try JSONOutput.string(sites.map { s -> [String: Any] in
                var entry: [String: Any] = [
                    "id": s.site.id, "kind": s.site.kind.rawValue, "lon": (s.position.lon * 1e7).rounded() / 1e7,
                    "lat": (s.position.lat * 1e7).rounded() / 1e7, "structureHeightM": s.site.structureHeightMeters,
                    "sectors": s.sectors.map { ["id": $0.id, "operator": $0.operatorName, "band": $0.band, "azimuthDeg": $0.azimuthDegrees,
                                                "downtiltDeg": $0.downtiltDegrees, "eirpDBm": $0.eirpDBm, "antennaHeightM": $0.antennaHeightMeters,
                                                "pattern": $0.pattern, "assumption": $0.isAssumption] as [String: Any] },
                ]
                if let op = s.operatorName { entry["operator"] = op }
                if let id = s.carrierSiteID { entry["siteID"] = id }
                if let name = s.site.name { entry["name"] = name }
                return entry
            }))
            return ExitCode.success
        }
        var lines = ["operator     site                 kind            lon         lat          height  sectors"]
        for s in sites {
            let bands = Dictionary(grouping: s.sectors, by: \.band).map { "\($0.key)×\($0.value.count)" }.sorted().joined(separator: " ")
            lines.append((s.operatorName ?? "-").padding(toLength: 12, withPad: " ", startingAt: 0) + " "
                         + (s.carrierSiteID ?? s.site.id).padding(toLength: 20, withPad: " ", startingAt: 0) + " "
                         + s.site.kind.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0) + " "
                         + String(format: "%-11.6f %-12.6f %6.1f  ", s.position.lon, s.position.lat, s.site.structureHeightMeters)
                         + bands)
        }
        lines.append("\(sites.count) site\(sites.count == 1 ? "" : "s"), \(sites.reduce(0) { $0 + $1.sectors.count }) sectors in \(store)")
        output.print(lines.joined(separator: "\n"))
        return ExitCode.success
    }
}

/// `litfass sites export`: the imported sites as a file that imports back unchanged.
enum SitesExportCommand: Command {
    static let name = "sites export"
    static let summary = "the imported sites of a scenario as CSV, GeoJSON or GeoPackage"
    static let help = """
    Usage: litfass sites export [--scenario FILE] [--format csv|geojson|gpkg] [--out FILE] [--operator NAME]

    Writes the imported sites, one row per sector, with the columns 'litfass import sites'
    recognises: operator, site_id, sector, name, (lon, lat for CSV), height_m, structure_height_m,
    azimuth_deg, tilt_deg, band, technology, frequency_mhz, bandwidth_mhz, eirp_dbm. Importing the
    export again changes nothing.

    Options:
    \(ScenarioArgument.help)
      --format F          csv, geojson or gpkg (default: from --out's extension, else csv)
      --out FILE          output file (default: standard output; gpkg needs --out)
      --operator NAME     only this operator's sites
    """

    static func run(_ arguments: inout Arguments, output: Output) throws -> Int32 {
        let formatText = try arguments.choice("--format", among: SiteExportFormat.allCases.map(\.rawValue))
        let out = try arguments.option("--out")
        let operatorName = try arguments.option("--operator")
        let store = try ScenarioArgument.path(&arguments)
        try arguments.finish()
        let fromExtension = out.flatMap { path -> SiteExportFormat? in
            switch URL(fileURLWithPath: path).pathExtension.lowercased() {
            case "csv": return .csv
            case "geojson", "json": return .geojson
            case "gpkg": return .gpkg
            default: return nil
            }
        }
        let format = formatText.flatMap(SiteExportFormat.init(rawValue:)) ?? fromExtension ?? .csv
        if let out {
            let count = try SiteCatalog.export(store: store, to: out, format: format, operatorName: operatorName)
            FileHandle.standardError.write(Data("wrote \(count) sectors to \(out)\n".utf8))
            return ExitCode.success
        }
        guard format != .gpkg else { throw UsageError("--format gpkg needs --out FILE") }
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("litfass-export-\(UUID().uuidString).\(format.rawValue)").path
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        try SiteCatalog.export(store: store, to: temporary, format: format, operatorName: operatorName)
        let data = try Data(contentsOf: URL(fileURLWithPath: temporary))
        FileHandle.standardOutput.write(data)
        return ExitCode.success
    }
}

/// `litfass sites history`: the imports recorded in a store.
enum SitesHistoryCommand: Command {
    static let name = "sites history"
    static let summary = "the site imports recorded in a scenario, with their counts"
    static let help = """
    Usage: litfass sites history [--scenario FILE] [--format text|json]

    Lists every import into the scenario: id, time, status (applied or rolled_back), file and its
    SHA-256, and the row counts (read = inserted + updated + unchanged + rejected).

    Options:
    \(ScenarioArgument.help)
      --format text|json  output format (default text)
    """

    static func run(_ arguments: inout Arguments, output: Output) throws -> Int32 {
        let format = try arguments.choice("--format", among: ["text", "json"]) ?? "text"
        let store = try ScenarioArgument.path(&arguments)
        try arguments.finish()
        let records = try ImportLedger.history(store: store)
        if format == "json" {
            output.print(try JSONOutput.string(records.map { r -> [String: Any] in
                var entry: [String: Any] = [
                    "id": r.id, "time": r.time, "file": r.file, "sha256": r.checksum, "driver": r.driver, "layer": r.layer,
                    "operators": r.operators, "rowsRead": r.rowsRead, "inserted": r.inserted, "updated": r.updated,
                    "unchanged": r.unchanged, "rejected": r.rejected, "sitesInserted": r.sitesInserted, "sitesUpdated": r.sitesUpdated,
                    "sectorsRemoved": r.sectorsRemoved, "status": r.status,
                ]
                if let at = r.rolledBackAt { entry["rolledBackAt"] = at }
                return entry
            }))
            return ExitCode.success
        }
        guard !records.isEmpty else {
            output.print("No imports in \(store)")
            return ExitCode.success
        }
        output.print(historyTable(records))
        return ExitCode.success
    }
}

extension SitesHistoryCommand {
    /// The history as a table whose columns are as wide as their widest cell plus two spaces, so
    /// that large counts never run into each other.
    static func historyTable(_ records: [ImportRecord]) -> String {
        let header = ["id", "time", "status", "rows", "ins", "upd", "same", "rej", "operators", "file"]
        let rows = records.map { r in
            [String(r.id), String(r.time.prefix(24)), r.status] + [r.rowsRead, r.inserted, r.updated, r.unchanged, r.rejected].map(String.init)
                + [r.operators, "\(r.file) (sha256 \(r.checksum.prefix(12))…)"]
        }
        var widths = header.map(\.count)
        for row in rows { for (k, cell) in row.enumerated() { widths[k] = max(widths[k], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { k, cell in k == cells.count - 1 ? cell : cell.padding(toLength: widths[k] + 2, withPad: " ", startingAt: 0) }.joined()
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }
}

/// `litfass sites rollback`: undoes one import.
enum SitesRollbackCommand: Command {
    static let name = "sites rollback"
    static let summary = "undo one site import (litfass sites history lists them)"
    static let help = """
    Usage: litfass sites rollback --import ID --scenario FILE

    Removes the sites the import created and restores the sites it changed to their state before
    it, in one copy-on-write transaction. Refused when a later import changed the same sites
    (roll that back first). The import stays in the history, marked rolled_back.

    Options:
      --import ID         the import to undo
      --scenario FILE     the scenario GeoPackage (required)

    Exit codes: 0 done, 1 refused or the store cannot be written, 2 usage error, 3 no such import.
    """

    static func run(_ arguments: inout Arguments, output: Output) throws -> Int32 {
        guard let idText = try arguments.option("--import") else { throw UsageError("give --import ID ('litfass sites history' lists them)") }
        guard let id = Int(idText), id > 0 else { throw UsageError("--import expects a positive number, got '\(idText)'") }
        guard let store = try arguments.option("--scenario") else {
            throw UsageError("give --scenario FILE: imports are never written into the default scenario")
        }
        try arguments.finish()
        do {
            let report = try ImportLedger.rollback(importID: id, store: store)
            output.print("Rolled back import \(report.importID) in \(store): \(report.sitesRemoved) sites removed, \(report.sitesRestored) sites restored")
            return ExitCode.success
        } catch let error as ImportError {
            if case .noSuchImport = error {
                output.printError("litfass \(name): \(error)")
                return ExitCode.notFound
            }
            throw error
        }
    }
}
