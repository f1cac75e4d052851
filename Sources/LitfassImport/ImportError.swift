import Foundation
import LitfassScenario
/// Why an import, export, history or rollback could not be done at all. Bad rows are not errors:
/// they are rejected one by one (`RejectedValue`) while the good rows go in.
///
/// Every case names the file; cases about a part of it name the row or column too.
public enum ImportError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The input file is missing, unreadable, binary, or no GDAL driver reads it.
    case unreadable(file: String, reason: String)
    /// The input file holds no bytes (or only a byte-order mark and white space).
    case empty(file: String)
    /// The input has several layers and `--layer` did not choose one, or chose one that is not there.
    case layer(file: String, requested: String?, available: [String])
    /// A column the import needs was not found; `columns` lists what the file has.
    case missingColumn(file: String, field: String, columns: [String], hint: String)
    /// `--map FIELD=COLUMN` names a column the file does not have.
    case unknownColumn(file: String, column: String, field: String, columns: [String])
    /// GDAL failed while reading, after `row` rows (1-based; nil before the first).
    case readFailed(file: String, row: Int?, message: String)
    /// The scenario store cannot be read or written.
    case store(file: String, message: String)
    /// Another import or rollback holds the store's lock and did not release it in time.
    case locked(file: String, holder: String, waitedSeconds: Double)
    /// No import with this id is recorded in the store.
    case noSuchImport(file: String, id: Int)
    /// The import was rolled back before.
    case alreadyRolledBack(file: String, id: Int)
    /// Later imports changed the same sites; they must be rolled back first.
    case rollbackConflict(file: String, id: Int, laterImports: [Int])
    /// The output of an export cannot be written.
    case export(file: String, message: String)

    /// One line naming the file (and row or column) and what is wrong, as the CLI prints it.
    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "\(file): cannot read the file: \(reason)"
        case .empty(let file):
            return "\(file): the file is empty"
        case .layer(let file, let requested, let available):
            if let requested {
                return "\(file): no layer '\(requested)' (layers: \(available.joined(separator: ", ")))"
            }
            return "\(file): \(available.count) layers (\(available.joined(separator: ", "))); choose one with --layer NAME"
        case .missingColumn(let file, let field, let columns, let hint):
            return "\(file): no column for \(field) (columns: \(columns.joined(separator: ", "))); \(hint)"
        case .unknownColumn(let file, let column, let field, let columns):
            return "\(file): --map \(field)=\(column): no column '\(column)' (columns: \(columns.joined(separator: ", ")))"
        case .readFailed(let file, let row, let message):
            return "\(file)\(row.map { ": after row \($0)" } ?? ""): read error: \(message)"
        case .store(let file, let message):
            return "\(file): \(message)"
        case .locked(let file, let holder, let waited):
            return "\(file): another import or rollback is running (\(holder)); waited \(String(format: "%.1f", waited)) s. Try again when it has finished."
        case .noSuchImport(let file, let id):
            return "\(file): no import \(id) (see 'litfass sites history')"
        case .alreadyRolledBack(let file, let id):
            return "\(file): import \(id) was already rolled back"
        case .rollbackConflict(let file, let id, let later):
            return "\(file): later imports \(later.map(String.init).joined(separator: ", ")) changed sites of import \(id); roll them back first (newest first)"
        case .export(let file, let message):
            return "\(file): \(message)"
        }
    }
}

extension ImportError {
    /// The store's lock for an import or rollback, with the import's errors.
    static func lock(store: String, timeout: Double, purpose: String) throws -> StoreLock {
        try checkWritable(store: store)
        return try StoreLock(store: store, timeout: timeout, purpose: purpose,
                      locked: { ImportError.locked(file: store, holder: $0, waitedSeconds: $1) },
                      failed: { ImportError.store(file: store, message: $0) })
    }

    /// An import or rollback replaces the store: refused, with its own message, when the store is a
    /// directory, a read-only file (no write permission bit, also for root) or on a read-only file system.
    static func checkWritable(store: String) throws {
        var info = stat()
        guard stat(store, &info) == 0 else { return }   // absent: the load will say so
        if info.st_mode & S_IFMT == S_IFDIR {
            throw ImportError.store(file: store, message: "is a directory; give the scenario's .gpkg file")
        }
        if info.st_mode & 0o222 == 0 {
            throw ImportError.store(file: store, message: String(format: "the store is read-only (file mode %03o); make it writable (chmod u+w) to import into it or roll back", Int(info.st_mode & 0o777)))
        }
        var fs = statvfs()
        if statvfs(store, &fs) == 0, fs.f_flag & UInt(ST_RDONLY) != 0 {
            throw ImportError.store(file: store, message: "the store is on a read-only file system")
        }
    }
}
