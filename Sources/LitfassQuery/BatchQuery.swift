import Foundation
import LitfassCoverage
import LitfassGeo

/// Answers many addresses from a CSV file (column `address`, else the first column), one result
/// row per input row — nothing skipped: a row that is not found or ambiguous says so.
public enum BatchQuery {
    /// One row's outcome.
    public struct Row: Sendable {
        public var row: Int
        public var input: String
        /// "ok", "ambiguous", "not-found" or "bad-input".
        public var status: String
        public var detail: String
        public var answer: QueryAnswer?
    }

    /// Reads the addresses of a CSV file.
    /// - Throws: `GeoError.vector` naming the file when it cannot be read or has no columns.
    public static func addresses(file: String) throws -> [String] {
        // GDAL's CSV driver needs a separator in the header line, so a file of one column (the
        // natural shape of an address list) is read here: one value per line, quotes removed.
        guard let data = FileManager.default.contents(atPath: file) else {
            throw GeoError.vector(file: file, message: "no such file or not readable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw GeoError.vector(file: file, message: "not UTF-8 text; save the address list as UTF-8 CSV")
        }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\u{FEFF}").union(.whitespaces)) }
        guard let header = lines.first, !header.isEmpty else { throw GeoError.vector(file: file, message: "empty file; expected a header 'address' and one address per row") }
        if !header.contains(where: { $0 == "," || $0 == ";" || $0 == "\t" }) {
            return lines.dropFirst().filter { !$0.isEmpty }.map { line in
                line.hasPrefix("\"") && line.hasSuffix("\"") && line.count >= 2
                    ? String(line.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"") : line
            }
        }
        let dataset = try VectorDataset(path: file, drivers: ["CSV"])
        guard let layer = dataset.layerNames.first else { throw GeoError.vector(file: file, message: "no table") }
        let fields = try dataset.info(layer: layer).fields.map(\.name)
        guard let column = fields.first(where: { $0.lowercased() == "address" || $0.lowercased() == "adresse" }) ?? fields.first else {
            throw GeoError.vector(file: file, message: "no columns; expected a column 'address'")
        }
        return try dataset.features(layer: layer).map { $0[column]?.text ?? "" }
    }

    /// Answers every address; addresses are answered on all cores at once (each answer is the one a single query
    /// gives, so the rows do not depend on the number of threads), in input order. `scope: .keyFigures` computes
    /// only what `csv` writes (the rows' CSV is the same as with full answers).
    public static func answer(_ addresses: [String], engine: QueryEngine, floor: Int, scope: QueryEngine.Scope = .full) -> [Row] {
        parallelMap(addresses.count, threads: ProcessInfo.processInfo.activeProcessorCount) { index in
            let text = addresses[index]
            let row = index + 2   // header is row 1
            do {
                switch try engine.answer(address: text, floor: floor, scope: scope) {
                case .answer(let a): return Row(row: row, input: text, status: "ok", detail: "", answer: a)
                case .ambiguous(let list):
                    return Row(row: row, input: text, status: "ambiguous", detail: engine.choiceLabels(for: list).joined(separator: "; "), answer: nil)
                case .notFound(let suggestions):
                    let reason = (try? engine.lookup(address: text).reason) ?? nil
                    let detail = [reason, suggestions.isEmpty ? nil : "closest: " + suggestions.joined(separator: "; ")].compactMap { $0 }
                    return Row(row: row, input: text, status: "not-found", detail: detail.joined(separator: "; "), answer: nil)
                }
            } catch {
                return Row(row: row, input: text, status: "bad-input", detail: String(describing: error), answer: nil)
            }
        }
    }

    /// A text cell: formula-like text neutralised, quoted when needed (`CSVCell.field`).
    static func quote(_ field: String) -> String { CSVCell.field(field) }

    /// CSV: one line per row with the key figures per operator (indoor when there is a building).
    public static func csv(_ rows: [Row], operators: [String]) -> String {
        var header = ["row", "address", "status", "detail", "building_id", "building_type", "height_m", "fibre_passed", "fibre_route_m", "fibre_cost_eur", "fibre_illustrative"]
        for op in operators { header += ["\(op)_band", "\(op)_site", "\(op)_rsrp_dbm", "\(op)_sinr_db", "\(op)_dl_mbps", "\(op)_dl_mbps_cautious", "\(op)_ul_mbps"] }
        var lines = [header.joined(separator: ",")]
        for r in rows {
            var fields = [String(r.row), quote(r.input), r.status, quote(r.detail)]
            let a = r.answer
            fields += [a?.building?.id ?? "", a?.building?.type ?? "", a?.building.map { String(format: "%.1f", $0.heightMeters) } ?? ""]
            fields += [a?.fibre.map { $0.passed ? "yes" : "no" } ?? "", a?.fibre.map { String(format: "%.0f", $0.routeMeters) } ?? "",
                       a?.fibre.map { String(format: "%.0f", $0.estimatedCostEUR) } ?? "", a?.fibre.map { $0.illustrative ? "yes" : "no" } ?? ""]
            for op in operators {
                let m = a?.mobile.first { $0.operatorName == op }
                let f = m?.indoor ?? m?.outdoor
                // One decimal, never "-0.0".
                func tenth(_ v: Double) -> String { String(format: "%.1f", (v * 10).rounded() / 10 + 0.0) }
                fields += [m?.band ?? "", m?.site ?? "", f.map { tenth($0.rsrpDBm) } ?? "", f.map { tenth($0.sinrDB) } ?? "",
                           f.map { String(format: "%.1f", $0.downlinkMbps) } ?? "", f.map { String(format: "%.1f", $0.downlinkMbpsCautious) } ?? "",
                           f.map { String(format: "%.1f", $0.uplinkMbps) } ?? ""]
            }
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// JSON lines: the docs/QUERY.md object per answered row, plus `row` and `status`.
    public static func jsonLines(_ rows: [Row]) throws -> String {
        try rows.map { r -> String in
            var object: [String: Any] = r.answer.map { QueryFormatter.jsonObject($0) } ?? ["question": r.input]
            object["row"] = r.row
            object["status"] = r.status
            if !r.detail.isEmpty { object["detail"] = r.detail }
            return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
        }.joined(separator: "\n") + "\n"
    }
}
