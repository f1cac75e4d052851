import LitfassGeo

/// One reason a row was rejected: the row, the field at fault, the value as written and why.
/// A row with several faults has several of these.
public struct RejectedValue: Sendable, Hashable {
    /// 1-based data row (the header is not counted).
    public var row: Int
    /// For CSV: the line of the file where the row starts (the header is line 1).
    public var line: Int?
    /// The field at fault (`ImportField` raw value, or "row" for the row as a whole).
    public var field: String
    /// The value as written in the file ("" when missing).
    public var value: String
    /// Why the value is not accepted.
    public var reason: String

    /// Creates a rejection.
    public init(row: Int, line: Int?, field: String, value: String, reason: String) {
        self.row = row
        self.line = line
        self.field = field
        self.value = value
        self.reason = reason
    }
}

/// Something accepted but worth knowing (a site outside the scenario area, a value taken from the
/// assumptions), counted over all rows with the first few row numbers.
public struct ImportWarning: Sendable, Hashable {
    /// What happened, e.g. "outside the scenario area".
    public var message: String
    /// How many rows it concerns.
    public var count: Int
    /// The first (up to 10) rows it concerns, 1-based.
    public var rows: [Int]

    /// Creates a warning.
    public init(message: String, count: Int, rows: [Int]) {
        self.message = message
        self.count = count
        self.rows = rows
    }
}

/// What an import did (or, for a dry run, would do). Counts are in rows of the input and always
/// balance: `rowsRead == inserted + updated + unchanged + rejected`.
public struct ImportReport: Sendable {
    /// The id under which the import is recorded in the store (`litfass sites history`); nil for a dry run.
    public var importID: Int?
    /// The input file and the store.
    public var file: String, store: String
    /// GDAL driver and layer read.
    public var driver: String, layer: String
    /// SHA-256 of the input file.
    public var checksum: String
    /// The CRS the coordinates were read in.
    public var sourceCRS: CRS?
    /// Which column fed which field ("site ← Standort-ID, ...").
    public var columns: String
    /// Data rows read.
    public var rowsRead: Int
    /// Rows whose sector is new in the store.
    public var inserted: Int
    /// Rows whose sector (or site) existed with other values.
    public var updated: Int
    /// Rows whose sector is stored with the same values.
    public var unchanged: Int
    /// Rows rejected (each appears at least once in `rejects`).
    public var rejected: Int
    /// Sites created / changed.
    public var sitesInserted: Int, sitesUpdated: Int
    /// Stored sectors of re-imported sites that the file no longer lists (removed).
    public var sectorsRemoved: Int
    /// Every reason for every rejected row, in row order.
    public var rejects: [RejectedValue]
    /// Warnings on accepted rows.
    public var warnings: [ImportWarning]
    /// Notes on the file as a whole (encoding, CRS guessed, scenario created).
    public var notes: [String]
    /// Earlier imports of a file with the same checksum.
    public var earlierImportsOfSameFile: [Int]
    /// True when nothing was written.
    public var dryRun: Bool

    /// Whether the counts balance (they always should).
    public var balances: Bool { rowsRead == inserted + updated + unchanged + rejected }
}
