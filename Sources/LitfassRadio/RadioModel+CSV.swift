import Foundation

/// A bad row of a CSV evaluated through `RadioModel.evaluateCSV`: which data row (1 = the first
/// line after the header), which column (when one is to blame) and what is wrong.
public struct ModelCSVError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based data row (the header is not counted); 0 for the header itself.
    public let row: Int
    /// The column at fault, if any.
    public let column: String?
    /// What is wrong.
    public let message: String

    /// Creates the error.
    public init(row: Int, column: String?, message: String) {
        self.row = row
        self.column = column
        self.message = message
    }

    public var description: String {
        (row == 0 ? "header" : "row \(row)") + (column.map { ", column \($0)" } ?? "") + ": " + message
    }
}

extension RadioModel {
    /// Evaluates the model on every row of a CSV table and appends the result column.
    ///
    /// Columns named like a parameter (or a file parameter) give its value per row; other columns
    /// are kept as they are. An empty cell leaves the parameter out (its default applies).
    /// `constants` apply to every row where the table has no such column or the cell is empty.
    /// Plain comma-separated values without quoting.
    /// - Parameters:
    ///   - text: the CSV text with a header line.
    ///   - constants: parameter values for every row (a column of the same name wins).
    ///   - files: file parameters for every row (a column of the same name wins).
    ///   - allowExtrapolation: accept values outside the valid ranges.
    /// - Returns: the CSV text with the result column `resultName` appended.
    /// - Throws: `ModelCSVError` naming the row and column of the first bad value or failed evaluation.
    public func evaluateCSV(_ text: String, constants: [String: Double] = [:], files: [String: String] = [:],
                            allowExtrapolation: Bool) throws -> String {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        guard let headerLine = lines.first else { throw ModelCSVError(row: 0, column: nil, message: "empty CSV, expected a header line") }
        let header = headerLine.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if header.contains(resultName) {
            throw ModelCSVError(row: 0, column: resultName, message: "the input already has the result column \(resultName)")
        }
        let fileNames = Set(fileParameters.map(\.name))
        var output = [headerLine + "," + resultName]
        var row = 0
        for line in lines.dropFirst() {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            row += 1
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == header.count else {
                throw ModelCSVError(row: row, column: nil, message: "\(fields.count) fields, the header has \(header.count)")
            }
            var values = constants
            var rowFiles = files
            for (column, field) in zip(header, fields) where !field.isEmpty {
                if fileNames.contains(column) {
                    rowFiles[column] = field
                } else if parameter(named: column) != nil {
                    guard let value = Double(field), value.isFinite else {
                        throw ModelCSVError(row: row, column: column, message: "'\(field)' is not a number")
                    }
                    values[column] = value
                }
            }
            let result: Double
            do {
                result = try evaluate(parameters: values, files: rowFiles, allowExtrapolation: allowExtrapolation)
            } catch let error as RadioModelError {
                throw ModelCSVError(row: row, column: error.parameterName, message: error.description)
            } catch {
                throw ModelCSVError(row: row, column: nil, message: "\(error)")
            }
            output.append(line + "," + Self.format(result))
        }
        return output.joined(separator: "\n") + "\n"
    }

    /// A result as text: 4 decimals, or whole numbers from 1e6 up (rates in bit/s).
    public static func format(_ value: Double) -> String {
        if !value.isFinite { return String(value) }
        return abs(value) >= 1e6 ? String(format: "%.0f", value) : String(format: "%.4f", value)
    }
}

extension RadioModelError {
    /// The parameter the error is about, if any.
    public var parameterName: String? {
        switch self {
        case let .outOfRange(parameter, _, _), let .invalidValue(parameter, _, _): return parameter
        case let .unknownParameter(_, parameter), let .missingParameter(_, parameter): return parameter
        case .unknownModel, .invalidProfile: return nil
        }
    }
}
