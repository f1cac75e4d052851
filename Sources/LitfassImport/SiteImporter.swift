import Foundation
import LitfassGeo
import LitfassScenario

/// How to read a site list.
public struct SiteImportOptions: Sendable {
    /// The layer to read from a multi-layer file (GeoPackage, KML); nil when the file has one.
    public var layer: String?
    /// The operator of every row; nil to take it from the file's operator column.
    public var operatorName: String?
    /// `--map FIELD=COLUMN`: columns named explicitly, over the recognised header names.
    public var columnMap: [ImportField: String]
    /// The CRS of the coordinates; nil to take the layer's, or WGS84 for lon/lat columns.
    public var crs: CRS?
    /// Checks and counts everything but writes nothing (no lock, no history).
    public var dryRun: Bool
    /// How long to wait for another import or rollback on the same store [s].
    public var lockTimeoutSeconds: Double
    /// The rejects CSV (`--rejects`): written before the store is changed, so an import whose
    /// rejects cannot be written fails with the store untouched.
    public var rejectsPath: String?

    /// Creates options; every value has a default.
    public init(layer: String? = nil, operatorName: String? = nil, columnMap: [ImportField: String] = [:], crs: CRS? = nil,
                dryRun: Bool = false, lockTimeoutSeconds: Double = 30, rejectsPath: String? = nil) {
        self.rejectsPath = rejectsPath
        self.layer = layer
        self.operatorName = operatorName
        self.columnMap = columnMap
        self.crs = crs
        self.dryRun = dryRun
        self.lockTimeoutSeconds = lockTimeoutSeconds
    }
}

/// Imports a carrier's site list into a scenario store: reads it through GDAL/OGR, checks every
/// row, groups rows into sites (kind `.imported`) with their sectors, and upserts them by
/// operator + site id in one copy-on-write transaction recorded in the store's import ledger.
public enum SiteImporter {
    /// Imports one file into one store.
    /// - Returns: the report; its counts always balance. Bad rows are in `report.rejects`, not thrown.
    /// - Throws: `ImportError` when the file cannot be read at all, lacks a required column, or
    ///   the store cannot be read, locked or written. Then nothing is written.
    public static func importSites(file: String, into store: String, options: SiteImportOptions = SiteImportOptions()) throws -> ImportReport {
        var trace = PhaseTrace()
        if let rejectsPath = options.rejectsPath { try RejectsFile.checkTarget(rejectsPath) }
        let lock = options.dryRun ? nil : try ImportError.lock(store: store, timeout: options.lockTimeoutSeconds, purpose: "import of \(file)")
        defer { withExtendedLifetime(lock) {} }
        // The input and the store are read at the same time, each on its own thread with its own
        // GDAL dataset (the store under the lock, so it cannot change meanwhile).
        let loaded = Background { () throws -> Scenario in
            do { return try ScenarioStore.load(path: store) } catch let error as ScenarioError {
                throw ImportError.store(file: store, message: error.description.replacingOccurrences(of: store + ": ", with: ""))
            }
        }
        // Rows are checked while GDAL still parses when the first rows decide how (GeoJSON points
        // with a CRS; see `StreamingValidation`); else after the read.
        var streaming: StreamingValidation?
        var streamingStarted = false
        let table: SourceTable
        do {
            table = try SourceReader.read(path: file, layer: options.layer) { header, driver, layerCRS in
                guard let mapping = try? ColumnMapping.resolve(header: header, overrides: options.columnMap, file: file),
                      !EMFProfile.mayBe(header: header, mapping: mapping),
                      let scenario = try? loaded.result().get() else { return nil }
                return { rows in
                    if !streamingStarted {
                        streamingStarted = true
                        streaming = StreamingValidation.start(
                            file: file, header: header, driver: driver, layerCRS: layerCRS, first: rows, mapping: mapping,
                            operatorOverride: options.operatorName, crsOverride: options.crs,
                            context: ValidationContext(area: area(of: scenario), assumptions: scenario.assumptions))
                    }
                    streaming?.add(rows)
                }
            }
        } catch {
            _ = loaded.result()
            throw error
        }
        trace.mark("read")
        if let parser = table.parserCPUSeconds { trace.note(String(format: "  GDAL's parsing thread %.3f s cpu (of the read's cpu)", parser)) }
        let mapping = try ColumnMapping.resolve(header: table.header, overrides: options.columnMap, file: file)
        let scenario = try loaded.result().get()
        trace.mark("load store")
        let context = ValidationContext(area: area(of: scenario), assumptions: scenario.assumptions)
        let emf = EMFProfile.detect(header: table.header, mapping: mapping, rows: table.rows, operatorOverride: options.operatorName)
        let checked: RowValidator.Result
        if let streaming, emf == nil {
            checked = try streaming.result()
        } else {
            checked = try RowValidator(table: table, mapping: mapping, operatorOverride: options.operatorName, crsOverride: options.crs,
                                       context: context, emf: emf).validate()
        }
        trace.mark("validate")
        let plan = ImportPlan(rows: checked.rows, stored: storedSites(scenario))
        trace.mark("plan")

        var rejects = checked.rejects + plan.rejects
        rejects.sort { ($0.row, $0.field) < ($1.row, $1.field) }
        let rejectedRows = checked.rejectedRows + plan.rejects.count
        var notes = checked.notes
        if let emf { notes.insert(emf.note(header: table.header), at: 0) }
        if let encoding = table.encodingNote {
            notes.insert(encoding.hasPrefix("UTF-8") ? "text read as \(encoding)" : "text read as \(encoding), not UTF-8", at: 0)
        }
        let earlier = (try? ImportLedger.history(store: store))?.filter { $0.checksum == table.checksum && $0.status == "applied" }.map(\.id) ?? []
        let operators = Array(Set(checked.rows.map(\.operatorName))).sorted()

        var report = ImportReport(
            importID: nil, file: file, store: store, driver: table.driver, layer: table.layer, checksum: table.checksum,
            sourceCRS: checked.sourceCRS, columns: mapping.summary, rowsRead: table.rows.count, inserted: plan.inserted,
            updated: plan.updated, unchanged: plan.unchanged, rejected: rejectedRows, sitesInserted: plan.sitesInserted,
            sitesUpdated: plan.sitesUpdated, sectorsRemoved: plan.sectorsRemoved, rejects: rejects,
            warnings: WarningCollector(checked.warnings, excluding: Set(plan.rejects.map(\.row))).warnings,
            notes: notes, earlierImportsOfSameFile: earlier, dryRun: options.dryRun)
        precondition(report.balances, "import counts do not balance: \(report.rowsRead) rows")
        // The rejects first: a failure here leaves the store as it was.
        if let rejectsPath = options.rejectsPath { try RejectsFile.write(rejects, to: rejectsPath) }
        guard !options.dryRun else { return report }

        var optionText: [String: String] = [:]
        if let layer = options.layer { optionText["layer"] = layer }
        if let op = options.operatorName { optionText["operator"] = op }
        if let crs = options.crs { optionText["crs"] = crs.description }
        for (field, column) in options.columnMap { optionText["map." + field.rawValue] = column }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let record = ImportLedger.NewRecord(
            file: file, checksum: table.checksum, driver: table.driver, layer: table.layer, operators: operators.joined(separator: ","),
            rowsRead: report.rowsRead, inserted: report.inserted, updated: report.updated, unchanged: report.unchanged,
            rejected: report.rejected, sitesInserted: report.sitesInserted, sitesUpdated: report.sitesUpdated,
            sectorsRemoved: report.sectorsRemoved, options: String(decoding: (try? encoder.encode(optionText)) ?? Data(), as: UTF8.self))
        report.importID = try ImportLedger.apply(plan, record: record, store: store)
        trace.mark("write")
        return report
    }

    /// The scenario area: the box around its buildings and streets (sites excluded, so that
    /// imported sites never widen it); nil when it has neither.
    static func area(of scenario: Scenario) -> BoundingBox? {
        var box: BoundingBox?
        func add(_ b: BoundingBox) { if box == nil { box = b } else { box!.include(b) } }
        for building in scenario.buildings { add(building.boundingBox) }
        for street in scenario.streets { if let b = BoundingBox(points: street.line.points) { add(b) } }
        return box
    }

    /// The store's imported sites with their sectors, by site id.
    static func storedSites(_ scenario: Scenario) -> [String: StoredSite] {
        let imported = scenario.sites.filter { $0.kind == .imported }
        guard !imported.isEmpty else { return [:] }
        var sectors: [String: [Sector]] = [:]
        for sector in scenario.sectors { sectors[sector.siteID, default: []].append(sector) }
        var result: [String: StoredSite] = [:]
        for site in imported { result[site.id] = StoredSite(site: site, sectors: sectors[site.id] ?? []) }
        return result
    }
}

/// Work done on a thread of its own; `result()` waits for it (and may be called again).
final class Background<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    // Written once by the thread before `done` is signalled, read only after waiting on it.
    private var outcome: Result<Value, any Error>?

    init(_ work: @escaping @Sendable () throws -> Value) {
        let thread = Thread { [self] in
            outcome = Result { try work() }
            done.signal()
        }
        thread.start()
    }

    func result() -> Result<Value, any Error> {
        done.wait()
        done.signal()
        return outcome!
    }
}

/// Phase times on standard error when `LITFASS_IMPORT_TRACE` is set (for profiling).
struct PhaseTrace {
    private var last = DispatchTime.now().uptimeNanoseconds
    private var lastCPU = PhaseTrace.cpu()
    private let enabled = ProcessInfo.processInfo.environment["LITFASS_IMPORT_TRACE"] != nil

    private static func cpu() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// A line of its own on standard error (when tracing).
    func note(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    mutating func mark(_ phase: String) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds, cpu = Self.cpu()
        FileHandle.standardError.write(Data(String(format: "%-14@ %7.3f s wall %7.3f s cpu\n", phase, Double(now - last) / 1e9, cpu - lastCPU).utf8))
        last = now
        lastCPU = cpu
    }
}

/// Writes rejected rows as CSV (UTF-8, RFC 4180 quoting): `row,line,field,value,reason`.
public enum RejectsFile {
    /// The CSV text.
    public static func csv(_ rejects: [RejectedValue]) -> String {
        var text = "row,line,field,value,reason\n"
        for r in rejects {
            text += "\(r.row),\(r.line.map(String.init) ?? ""),\(quoted(r.field)),\(quoted(r.value)),\(quoted(r.reason))\n"
        }
        return text
    }

    /// Writes the CSV file.
    /// - Throws: `ImportError.export` naming the file.
    public static func write(_ rejects: [RejectedValue], to path: String) throws {
        do { try OutputTarget.write(Data(csv(rejects).utf8), to: path) } catch let error as GeoError {
            throw ImportError.export(file: path, message: "cannot write the rejects file: " + error.description.dropPrefix(path + ": "))
        }
    }

    /// Checks before anything is read that the rejects file may be written there: not a
    /// directory, link or device, and its folder exists and is writable.
    /// - Throws: `ImportError.export` naming the file.
    public static func checkTarget(_ path: String) throws {
        do { try OutputTarget.check(path) } catch let error as GeoError {
            throw ImportError.export(file: path, message: "cannot write the rejects file: " + error.description.dropPrefix(path + ": "))
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw ImportError.export(file: path, message: "cannot write the rejects file: the folder \(folder) does not exist")
        }
        guard access(folder, W_OK) == 0 else {
            throw ImportError.export(file: path, message: "cannot write the rejects file: " + (errno == EROFS ? "the file system is read-only" : "the folder \(folder) is not writable"))
        }
    }

    static func quoted(_ s: String) -> String { CSVCell.field(s) }
}

extension String {
    /// The string without `prefix` when it starts with it.
    func dropPrefix(_ prefix: String) -> String { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self }
}
