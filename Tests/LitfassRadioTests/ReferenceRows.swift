import Foundation
import _LitfassTestSupport

/// Small helpers to read numbers out of reference rows, failing loudly on a missing column.
struct ReferenceRow {
    let fields: [String: String]
    let line: Int

    func double(_ column: String) -> Double {
        guard let text = fields[column], let value = Double(text) else {
            fatalError("reference row \(line): column '\(column)' missing or not a number: \(fields)")
        }
        return value
    }

    func string(_ column: String) -> String {
        guard let text = fields[column] else { fatalError("reference row \(line): no column '\(column)'") }
        return text
    }
}

/// Reads a reference file from `Tests/Fixtures/reference/` in place.
func referenceRows(_ relativePath: String) throws -> [ReferenceRow] {
    try readReferenceCSV(TestPaths.reference(relativePath)).enumerated().map { ReferenceRow(fields: $1, line: $0 + 2) }
}
