import Foundation
import LitfassGeo
import LitfassImport
import LitfassScenario

/// `litfass import sites`: a carrier's site list into a scenario store.
enum ImportSitesCommand: Command {
    static let name = "import sites"
    static let summary = "a carrier's site list (CSV, GeoJSON, GeoPackage, KML/KMZ, Shapefile) into a scenario"
    static let help = """
    Usage: litfass import sites FILE --scenario FILE [--layer NAME] [--operator NAME]
                                [--map FIELD=COLUMN ...] [--crs EPSG:CODE] [--dry-run] [--rejects FILE]

    Reads a site list through GDAL (CSV with comma or semicolon, decimal point or comma, UTF-8 or
    Latin-1; GeoJSON; GeoPackage; KML/KMZ; Shapefile), checks every row and upserts the good ones
    as imported sites with their sectors (by operator + site id). Bad rows are rejected, one line
    per fault, into the rejects file. One import is one transaction, recorded in the store:
    'litfass sites history' lists imports, 'litfass sites rollback --import ID' undoes one.
    Column names are recognised in English and German (docs/IMPORT.md lists them).

    Options:
      --scenario FILE     the scenario GeoPackage to import into (required, except with --dry-run).
                          If FILE does not exist, it is created as a copy of the default scenario.
                          The default scenario itself is a rebuilt cache and is never written.
      --layer NAME        layer of a multi-layer file (GeoPackage, KML)
      --operator NAME     operator of every row (else the file's operator column)
      --map FIELD=COLUMN  take FIELD from COLUMN; repeatable. FIELDs: \(ImportField.allCases.map(\.rawValue).joined(separator: ", "))
      --crs EPSG:CODE     CRS of the coordinates (else the layer's; lon/lat columns are WGS84)
      --dry-run           check and count, write nothing
      --rejects FILE      write rejected rows as CSV: row,line,field,value,reason

    Exit codes: 0 done (also with rejected rows), 1 the file or the store cannot be read or
    written (nothing is written), 2 usage error.
    """

    static func run(_ arguments: inout Arguments, output: Output) throws -> Int32 {
        let dryRun = arguments.flag("--dry-run")
        let layer = try arguments.option("--layer")
        let operatorName = try arguments.option("--operator")
        let rejectsPath = try arguments.option("--rejects")
        var map: [ImportField: String] = [:]
        for item in try arguments.options("--map") {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex, item.index(after: equals) != item.endIndex else {
                throw UsageError("--map expects FIELD=COLUMN, got '\(item)'")
            }
            let key = item[..<equals].lowercased().replacingOccurrences(of: "-", with: "_")
            guard let field = ImportField(rawValue: key) else {
                throw UsageError("--map: unknown field '\(item[..<equals])'; fields: \(ImportField.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            map[field] = String(item[item.index(after: equals)...])
        }
        var crs: CRS?
        if let text = try arguments.option("--crs") {
            guard let parsed = CRS(parsing: text) else { throw UsageError("--crs expects EPSG:CODE, got '\(text)'") }
            crs = parsed
        }
        let scenarioOption = try arguments.option("--scenario")
        let files = arguments.positionals()
        try arguments.finish()
        guard files.count == 1 else {
            throw UsageError(files.isEmpty ? "give the site list FILE" : "give one site list FILE, got \(files.count)")
        }
        var notes: [String] = []
        var created: String?
        let store: String
        if let scenarioOption {
            if FileManager.default.fileExists(atPath: scenarioOption) {
                store = scenarioOption
            } else if dryRun {
                store = try DefaultScenario.path()
                notes.append("\(scenarioOption) does not exist: checked against the default scenario")
            } else {
                let source = try DefaultScenario.path()
                do { try FileManager.default.copyItem(atPath: source, toPath: scenarioOption) } catch {
                    throw ImportError.store(file: scenarioOption, message: "cannot create it from the default scenario: \(error.localizedDescription)")
                }
                notes.append("created \(scenarioOption) as a copy of the default scenario")
                created = scenarioOption
                store = scenarioOption
            }
        } else if dryRun {
            store = try DefaultScenario.path()
        } else {
            throw UsageError("give --scenario FILE: imports are never written into the default scenario, a cache rebuilt whenever Data/ changes (a FILE that does not exist is created from the default)")
        }
        let options = SiteImportOptions(layer: layer, operatorName: operatorName, columnMap: map, crs: crs, dryRun: dryRun, rejectsPath: rejectsPath)
        let report: ImportReport
        do { report = try SiteImporter.importSites(file: files[0], into: store, options: options) } catch {
            // Nothing is written when the import fails: not even the new scenario file.
            if let created {
                try? FileManager.default.removeItem(atPath: created)
                try? FileManager.default.removeItem(atPath: created + ".lock")
            }
            throw error
        }
        output.print(text(report, notes: notes, rejectsPath: rejectsPath))
        return ExitCode.success
    }

    static func text(_ r: ImportReport, notes: [String], rejectsPath: String?) -> String {
        var lines: [String] = []
        if r.dryRun {
            lines.append("Dry run against \(r.store): nothing written")
        } else {
            lines.append("Import \(r.importID ?? 0) into \(r.store)")
        }
        lines.append("File: \(r.file) (\(r.driver), layer \(r.layer), sha256 \(r.checksum.prefix(16))…)\(r.sourceCRS.map { ", coordinates in \($0)" } ?? "")")
        lines.append("Columns: \(r.columns)")
        for note in notes + r.notes { lines.append("Note: \(note)") }
        if !r.earlierImportsOfSameFile.isEmpty {
            lines.append("Note: the same file was imported before (import \(r.earlierImportsOfSameFile.map(String.init).joined(separator: ", ")))")
        }
        lines.append("Rows read \(r.rowsRead) = inserted \(r.inserted) + updated \(r.updated) + unchanged \(r.unchanged) + rejected \(r.rejected)")
        lines.append("Sites: \(r.sitesInserted) new, \(r.sitesUpdated) changed; stored sectors removed: \(r.sectorsRemoved)")
        for w in r.warnings {
            lines.append("Warning: \(w.count) row\(w.count == 1 ? "" : "s"): \(w.message) (row\(w.rows.count == 1 ? "" : "s") \(w.rows.map(String.init).joined(separator: ", "))\(w.count > w.rows.count ? ", …" : ""))")
        }
        if r.rejected > 0 {
            lines.append("Rejected \(r.rejected) row\(r.rejected == 1 ? "" : "s")\(rejectsPath.map { " (every fault in \($0))" } ?? " (give --rejects FILE for the full list)"):")
            for x in r.rejects.prefix(20) {
                lines.append("  row \(x.row)\(x.line.map { " (line \($0))" } ?? "") \(x.field) '\(x.value)': \(x.reason)")
            }
            if r.rejects.count > 20 { lines.append("  … and \(r.rejects.count - 20) more") }
        }
        return lines.joined(separator: "\n")
    }
}
