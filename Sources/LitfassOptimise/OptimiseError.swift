import Foundation

/// An error of site optimisation, naming the file, row, candidate or argument at fault.
public enum OptimiseError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The abstract problem is inconsistent (array lengths, negative weights or costs, bad indices).
    case invalidProblem(String)
    /// A limit (count or budget) that cannot be met: the message says why and what would work.
    case limit(String)
    /// The budget is below the cheapest candidate.
    case budgetTooSmall(budgetEUR: Double, cheapestEUR: Double, candidateID: String)
    /// No candidate is left to choose from (none given, or all outside the scenario / without backhaul).
    case noCandidates(String)
    /// A candidate lies outside the scenario's extent: the file (or "scenario"), the row (1-based,
    /// header not counted) when read from a file, the candidate's id and where it is.
    case candidateOutsideScenario(file: String, row: Int?, id: String, lon: Double, lat: Double)
    /// A candidate or demand file is wrong: the file, the row (1-based) when known, the column when known.
    case file(file: String, row: Int?, column: String?, message: String)
    /// A demand layer has no weights and neither `--weight-attribute` nor `--unweighted` was given.
    case demandWithoutWeights(file: String, layer: String, fields: [String])
    /// No demand unit is left (empty layer, all outside the scenario, all weights zero).
    case noDemand(String)
    /// The exact solver (GLPK `glpsol`) is missing or failed.
    case exactSolver(String)
    /// An output cannot be written.
    case output(file: String, message: String)

    /// One line for the user, naming what is wrong and where.
    public var description: String {
        switch self {
        case .invalidProblem(let message):
            return "invalid optimisation problem: \(message)"
        case .limit(let message):
            return message
        case .budgetTooSmall(let budget, let cheapest, let id):
            return String(format: "the budget of %.0f EUR is below the cheapest candidate (%@, %.0f EUR incl. fibre backhaul); no site can be equipped — raise --budget to at least %.0f EUR",
                          budget, id, cheapest, cheapest.rounded(.up))
        case .noCandidates(let message):
            return message
        case .candidateOutsideScenario(let file, let row, let id, let lon, let lat):
            let location = row.map { "\(file), row \($0)" } ?? file
            return String(format: "%@: candidate '%@' at lon %.6f, lat %.6f lies outside the scenario's extent; remove it, use a scenario that covers it, or give --skip-outside",
                          location, id, lon, lat)
        case .file(let file, let row, let column, let message):
            var location = file
            if let row { location += ", row \(row)" }
            if let column { location += ", column '\(column)'" }
            return "\(location): \(message)"
        case .demandWithoutWeights(let file, let layer, let fields):
            let list = fields.isEmpty ? "it has no attribute fields" : "its fields are \(fields.joined(separator: ", "))"
            return "\(file): demand layer '\(layer)' has no weight: name the weight field with --weight-attribute NAME (\(list)), or give --unweighted to count every feature as 1"
        case .noDemand(let message):
            return message
        case .exactSolver(let message):
            return "exact solver: \(message)"
        case .output(let file, let message):
            return "\(file): \(message)"
        }
    }
}
