import Foundation
import Glibc
import LitfassGeo
import LitfassScenario

/// One import as recorded in the store's `litfass_imports` table.
public struct ImportRecord: Sendable, Hashable {
    /// 1, 2, 3, … in the order of the imports.
    public var id: Int
    /// When the import was committed (ISO 8601, UTC).
    public var time: String
    /// The input file as named on the command line, its SHA-256, GDAL driver and layer.
    public var file: String, checksum: String, driver: String, layer: String
    /// Operators of the imported rows, comma-separated.
    public var operators: String
    /// Row counts: `rowsRead == inserted + updated + unchanged + rejected`.
    public var rowsRead: Int, inserted: Int, updated: Int, unchanged: Int, rejected: Int
    /// Sites created and changed, and stored sectors removed because the file no longer lists them.
    public var sitesInserted: Int, sitesUpdated: Int, sectorsRemoved: Int
    /// "applied" or "rolled_back".
    public var status: String
    /// When it was rolled back (ISO 8601, UTC).
    public var rolledBackAt: String?
}

/// What a rollback did.
public struct RollbackReport: Sendable {
    /// The import undone.
    public var importID: Int
    /// Sites it had created, now removed.
    public var sitesRemoved: Int
    /// Sites it had changed, now back to their earlier state.
    public var sitesRestored: Int
}

/// The import ledger of a scenario store: the `litfass_imports` table (one row per import) and
/// the undo log `litfass_import_changes` (one row per site an import created or replaced, with the
/// site's earlier state as JSON). Both are GeoPackage attribute tables created by the first import;
/// the `sites` and `sectors` layers keep the layout `ScenarioStore` reads.
///
/// Every write is copy-on-write under the store's lock: the store is copied beside itself,
/// changed in one transaction, flushed, and renamed over the original. A process killed at any
/// moment leaves the original byte for byte as it was.
public enum ImportLedger {
    static let importsTable = "litfass_imports"
    static let changesTable = "litfass_import_changes"

    static let importFields: [FieldDefinition] = [
        .init("import_id", .integer), .init("imported_at", .string), .init("file", .string), .init("file_sha256", .string),
        .init("driver", .string), .init("layer", .string), .init("operators", .string),
        .init("rows_read", .integer), .init("inserted", .integer), .init("updated", .integer), .init("unchanged", .integer),
        .init("rejected", .integer), .init("sites_inserted", .integer), .init("sites_updated", .integer), .init("sectors_removed", .integer),
        .init("status", .string), .init("rolled_back_at", .string), .init("litfass_version", .string), .init("options", .string),
    ]
    static let changeFields: [FieldDefinition] = [
        .init("import_id", .integer), .init("site_id", .string), .init("action", .string), .init("before", .string),
    ]

    // MARK: Reading

    /// The imports recorded in a store, oldest first; empty when none was ever made.
    /// - Throws: `ImportError.store` when the store cannot be read.
    public static func history(store: String) throws -> [ImportRecord] {
        let dataset = try openStore(store, update: false)
        return try records(dataset)
    }

    static func openStore(_ store: String, update: Bool) throws -> VectorDataset {
        guard FileManager.default.fileExists(atPath: store) else { throw ImportError.store(file: store, message: "no such file") }
        do { return try VectorDataset(path: store, drivers: ["GPKG"], update: update) } catch {
            throw ImportError.store(file: store, message: ScenarioStore.notAScenario(path: store, because: error))
        }
    }

    static func records(_ dataset: VectorDataset) throws -> [ImportRecord] {
        guard dataset.layerNames.contains(importsTable) else { return [] }
        let rows = try geo(dataset.path) { try dataset.features(layer: importsTable) }
        func int(_ f: VectorFeature, _ k: String) -> Int { Int(f[k]?.number ?? 0) }
        return rows.map { f in
            ImportRecord(id: int(f, "import_id"), time: f["imported_at"]?.text ?? "", file: f["file"]?.text ?? "",
                         checksum: f["file_sha256"]?.text ?? "", driver: f["driver"]?.text ?? "", layer: f["layer"]?.text ?? "",
                         operators: f["operators"]?.text ?? "", rowsRead: int(f, "rows_read"), inserted: int(f, "inserted"),
                         updated: int(f, "updated"), unchanged: int(f, "unchanged"), rejected: int(f, "rejected"),
                         sitesInserted: int(f, "sites_inserted"), sitesUpdated: int(f, "sites_updated"),
                         sectorsRemoved: int(f, "sectors_removed"), status: f["status"]?.text ?? "applied",
                         rolledBackAt: f["rolled_back_at"]?.text)
        }.sorted { $0.id < $1.id }
    }

    struct ChangeRow { var importID: Int, siteID: String, action: String, before: StoredSite? }

    static func changes(_ dataset: VectorDataset) throws -> [ChangeRow] {
        guard dataset.layerNames.contains(changesTable) else { return [] }
        let decoder = JSONDecoder()
        return try geo(dataset.path) { try dataset.features(layer: changesTable) }.map { f in
            ChangeRow(importID: Int(f["import_id"]?.number ?? 0), siteID: f["site_id"]?.text ?? "", action: f["action"]?.text ?? "",
                      before: f["before"]?.text.flatMap { try? decoder.decode(StoredSite.self, from: Data($0.utf8)) })
        }
    }

    /// Maps the geo layer's errors onto `ImportError.store`.
    static func geo<R>(_ store: String, _ body: () throws -> R) throws -> R {
        do { return try body() } catch let error as GeoError {
            let text = error.description
            throw ImportError.store(file: store, message: text.hasPrefix(store + ": ") ? String(text.dropFirst(store.count + 2)) : text)
        }
    }

    // MARK: Writing

    /// The row of `litfass_imports` for a new import (its id is assigned when written).
    struct NewRecord {
        var file: String, checksum: String, driver: String, layer: String, operators: String
        var rowsRead: Int, inserted: Int, updated: Int, unchanged: Int, rejected: Int
        var sitesInserted: Int, sitesUpdated: Int, sectorsRemoved: Int
        var options: String
    }

    /// Writes a plan and its record in one transaction on a copy of the store, then renames the
    /// copy over the store. The caller holds the lock.
    /// - Returns: the new import's id.
    static func apply(_ plan: ImportPlan, record: NewRecord, store: String) throws -> Int {
        try rewrite(store: store) { dataset in
            var trace = PhaseTrace()
            try ensureTables(dataset)
            let id = (try records(dataset).map(\.id).max() ?? 0) + 1
            let replaced = plan.changes.filter { $0.before != nil }.map(\.new.site.id)
            try deleteSites(replaced, in: dataset)
            trace.mark("    delete")
            let siteRows = plan.changes.map(\.new.siteFeature)
            trace.mark("    site rows")
            try dataset.append(layer: "sites", fields: StoredSite.siteFields, features: siteRows)
            trace.mark("    sites")
            let sectorRows = plan.changes.flatMap(\.new.sectorFeatures)
            trace.mark("    sector rows")
            try dataset.append(layer: "sectors", fields: StoredSite.sectorFields, features: sectorRows)
            trace.mark("    sectors")
            defer { trace.mark("    ledger") }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try dataset.append(layer: changesTable, fields: changeFields.map(\.name), features: try plan.changes.map { change in
                (nil, [.integer(Int64(id)), .string(change.new.site.id), .string(change.before == nil ? "insert" : "update"),
                       try change.before.map { .string(String(decoding: try encoder.encode($0), as: UTF8.self)) } ?? .null])
            })
            let r = record
            let values: [FieldValue] = [
                .integer(Int64(id)), .string(now()), .string(r.file), .string(r.checksum), .string(r.driver), .string(r.layer), .string(r.operators),
                .integer(Int64(r.rowsRead)), .integer(Int64(r.inserted)), .integer(Int64(r.updated)), .integer(Int64(r.unchanged)),
                .integer(Int64(r.rejected)), .integer(Int64(r.sitesInserted)), .integer(Int64(r.sitesUpdated)), .integer(Int64(r.sectorsRemoved)),
                .string("applied"), .null, .string(LitfassVersion.string), .string(r.options),
            ]
            try dataset.append(layer: importsTable, fields: importFields.map(\.name), features: [(nil, values)])
            return id
        }
    }

    /// Undoes one import: removes the sites it created and restores the sites it changed to their
    /// state before it. Refused when a later import (not rolled back) changed one of those sites.
    /// - Throws: `ImportError.noSuchImport`, `.alreadyRolledBack`, `.rollbackConflict`, `.locked`, `.store`.
    public static func rollback(importID: Int, store: String, lockTimeout: Double = 30) throws -> RollbackReport {
        let lock = try ImportError.lock(store: store, timeout: lockTimeout, purpose: "rollback of import \(importID)")
        defer { withExtendedLifetime(lock) {} }
        let (history, changeRows): ([ImportRecord], [ChangeRow]) = try {
            let dataset = try openStore(store, update: false)
            return (try records(dataset), try changes(dataset))
        }()
        guard let record = history.first(where: { $0.id == importID }) else { throw ImportError.noSuchImport(file: store, id: importID) }
        guard record.status == "applied" else { throw ImportError.alreadyRolledBack(file: store, id: importID) }
        let mine = changeRows.filter { $0.importID == importID }
        let sites = Set(mine.map(\.siteID))
        let applied = Set(history.filter { $0.status == "applied" }.map(\.id))
        let later = Set(changeRows.filter { $0.importID > importID && applied.contains($0.importID) && sites.contains($0.siteID) }.map(\.importID))
        guard later.isEmpty else { throw ImportError.rollbackConflict(file: store, id: importID, laterImports: later.sorted(by: >)) }
        try rewrite(store: store) { dataset in
            try deleteSites(mine.map(\.siteID), in: dataset)
            let restore = mine.compactMap(\.before)
            try dataset.append(layer: "sites", fields: StoredSite.siteFields, features: restore.map(\.siteFeature))
            try dataset.append(layer: "sectors", fields: StoredSite.sectorFields, features: restore.flatMap(\.sectorFeatures))
            try dataset.execute(sql: "UPDATE \(importsTable) SET status = 'rolled_back', rolled_back_at = \(quote(now())) WHERE import_id = \(importID)")
        }
        return RollbackReport(importID: importID, sitesRemoved: mine.filter { $0.before == nil }.count,
                              sitesRestored: mine.filter { $0.before != nil }.count)
    }

    static func ensureTables(_ dataset: VectorDataset) throws {
        let names = Set(dataset.layerNames)
        if !names.contains(importsTable) {
            try dataset.createLayer(importsTable, geometry: .none, crs: nil, fields: importFields,
                                    options: ["DESCRIPTION=Site imports into this store (litfass import sites); see docs/IMPORT.md"])
        }
        if !names.contains(changesTable) {
            try dataset.createLayer(changesTable, geometry: .none, crs: nil, fields: changeFields,
                                    options: ["DESCRIPTION=Undo log of site imports: the state of each site before an import changed it (JSON)"])
        }
    }

    private static func deleteSites(_ ids: [String], in dataset: VectorDataset) throws {
        var start = 0
        while start < ids.count {
            let chunk = ids[start..<min(start + 200, ids.count)]
            let list = chunk.map(quote).joined(separator: ",")
            try dataset.delete(layer: "sectors", where: "site_id IN (\(list))")
            try dataset.delete(layer: "sites", where: "id IN (\(list))")
            start += 200
        }
    }

    /// An SQL string literal.
    static func quote(_ s: String) -> String {
        guard s.utf8.contains(0x27) else { return "'" + s + "'" }
        return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
    }

    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }

    /// Copy-on-write: copies the store to `<store>.import-<pid>.tmp`, runs `body` on the copy in
    /// one transaction, flushes it to disk and renames it over the store (rename(2) is atomic).
    /// Leftovers of killed imports are removed first (the caller holds the lock, so none is running).
    static func rewrite<R>(store named: String, _ body: (VectorDataset) throws -> R) throws -> R {
        // Through a symbolic link: replace the file it points to, not the link.
        let store = URL(fileURLWithPath: named).resolvingSymlinksInPath().path
        var trace = PhaseTrace()
        removeLeftovers(of: store)
        let temporary = store + ".import-\(getpid()).tmp"
        defer { trace.mark("  swap") }
        do {
            try FileManager.default.copyItem(atPath: store, toPath: temporary)
            trace.mark("  copy")
        } catch {
            throw ImportError.store(file: store, message: "cannot copy the store for writing: \(error.localizedDescription)")
        }
        do {
            let result: R = try geo(store) {
                let dataset = try openStore(temporary, update: true)
                // The copy is private until renamed: SQLite's own journal and syncs would only
                // slow it down; atomicity comes from rename(2), durability from the fsync below.
                try dataset.execute(sql: "PRAGMA journal_mode = OFF")
                try dataset.execute(sql: "PRAGMA synchronous = OFF")
                try dataset.execute(sql: "PRAGMA cache_size = -65536")
                let result = try dataset.transaction { try body(dataset) }
                trace.mark("  transaction")
                return result
            }
            trace.mark("  close")
            // The dataset is closed here (released at the end of the closure): flush, then swap.
            try sync(temporary, store: store)
            trace.mark("  fsync")
            guard rename(temporary, store) == 0 else {
                throw ImportError.store(file: store, message: "cannot move the updated store into place: \(String(cString: strerror(errno)))")
            }
            try? sync(URL(fileURLWithPath: store).deletingLastPathComponent().path, store: store)
            return result
        } catch {
            removeLeftovers(of: store)
            throw error
        }
    }

    private static func sync(_ path: String, store: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ImportError.store(file: store, message: "cannot open \(path) to flush it") }
        defer { _ = Glibc.close(fd) }
        guard fsync(fd) == 0 else { throw ImportError.store(file: store, message: "cannot flush \(path): \(String(cString: strerror(errno)))") }
    }

    /// Removes `<store>.import-*.tmp` files (and their SQLite journals) left by killed writers.
    static func removeLeftovers(of store: String) {
        let url = URL(fileURLWithPath: store)
        let folder = url.deletingLastPathComponent().path
        let prefix = url.lastPathComponent + ".import-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix(prefix) {
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
    }
}
