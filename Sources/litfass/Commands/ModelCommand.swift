import Foundation
import LitfassGeo
import LitfassRadio

/// `litfass model`: evaluates one radio model of the LitfassRadio catalogue, for one set of values
/// or for every row of a CSV file.
enum ModelCommand: Command {
    static let name = "model"
    static let summary = "evaluate a radio propagation model (path loss, diffraction, throughput)"
    static let help = """
    Usage: litfass model <name> --<parameter> <value> ... [--extrapolate]
           litfass model <name> --csv IN.csv [--out OUT.csv] [--<parameter> <value> ...] [--extrapolate]
           litfass model --list

    Evaluates one model of the radio physics module and prints the result with its unit.

    Options:
      --list           name every model with its parameters, units, validity ranges and defaults
      --<parameter>    a parameter value (numbers; SI units as named, e.g. --frequencyHz 3.6e9)
      --profile FILE   the terrain profile CSV (distance,height) of p526-delta-bullington
      --csv IN.csv     evaluate every row; columns named like parameters give their values, other
                       columns are kept; the result column is appended
      --out OUT.csv    write the CSV result there instead of standard output
      --extrapolate    evaluate outside the models' validity ranges instead of failing

    Examples:
      litfass model fspl --distanceMeters 1000 --frequencyHz 3.6e9
      litfass model 38901-uma --distance2DMeters 500 --frequencyHz 3.6e9 --los 0
      litfass model p2109 --frequencyHz 2e9 --probabilityPercent 50 --elevationDeg 0 --buildingClass 1
      litfass model 38901-umi --csv points.csv --frequencyHz 3.6e9 --out losses.csv

    Exit codes: 0 success, 1 a value outside the valid range or a bad row/file, 2 usage error.
    """

    static func run(_ arguments: inout Arguments, output: Output) throws -> Int32 {
        if arguments.flag("--list") {
            try arguments.finish()
            output.print(listing())
            return ExitCode.success
        }
        let extrapolate = arguments.flag("--extrapolate")
        let csvPath = try arguments.option("--csv")
        let outPath = try arguments.option("--out")
        guard let modelName = arguments.items.first(where: { !$0.hasPrefix("-") }) else {
            throw UsageError("name a model, e.g. 'litfass model fspl ...'; 'litfass model --list' lists them")
        }
        let model: RadioModel
        do { model = try ModelCatalog.model(named: modelName) } catch {
            throw UsageError("unknown model '\(modelName)'; known: \(ModelCatalog.models.map(\.name).joined(separator: ", "))")
        }
        var values: [String: Double] = [:]
        for parameter in model.parameters {
            if let value = try arguments.doubleOption("--" + parameter.name) { values[parameter.name] = value }
        }
        var files: [String: String] = [:]
        for file in model.fileParameters {
            if let path = try arguments.option("--" + file.name) { files[file.name] = path }
        }
        if let unknown = arguments.items.first(where: { $0.hasPrefix("--") }) {
            let bare = String(unknown.dropFirst(2).split(separator: "=").first ?? "")
            throw UsageError("model '\(model.name)' has no parameter '\(bare)'; its parameters: "
                             + (model.parameters.map(\.name) + model.fileParameters.map(\.name)).joined(separator: ", "))
        }
        let rest = arguments.positionals()
        if rest.count > 1 { throw UsageError("unexpected argument '\(rest[1])'") }
        try arguments.finish()
        if outPath != nil && csvPath == nil { throw UsageError("--out needs --csv") }

        if let csvPath {
            return try runCSV(model: model, inPath: csvPath, outPath: outPath, constants: values, files: files,
                              extrapolate: extrapolate, output: output)
        }
        let result: Double
        do {
            result = try model.evaluate(parameters: values, files: files, allowExtrapolation: extrapolate)
        } catch let error as RadioModelError {
            switch error {
            case .missingParameter, .unknownParameter, .unknownModel:
                throw UsageError(error.description)
            case let .outOfRange(parameter, value, range):
                throw ModelCommandError("\(parameter) = \(ValidRange.format(value)) is outside the valid range \(range) of "
                                        + "\(model.name); pass --extrapolate to evaluate anyway")
            default:
                throw error
            }
        }
        output.print("\(model.resultName): \(RadioModel.format(result)) \(model.resultUnit)")
        return ExitCode.success
    }

    /// Evaluates every row of a CSV file.
    static func runCSV(model: RadioModel, inPath: String, outPath: String?, constants: [String: Double],
                       files: [String: String], extrapolate: Bool, output: Output) throws -> Int32 {
        let text: String
        do { text = try String(contentsOfFile: inPath, encoding: .utf8) } catch {
            throw ModelCommandError("cannot read \(inPath): \(error.localizedDescription)")
        }
        // A required parameter must come from a column or the command line: a usage error otherwise.
        let header = (text.split(whereSeparator: \.isNewline).first ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
        for parameter in model.parameters where parameter.requirement == .required {
            if !header.contains(parameter.name) && constants[parameter.name] == nil {
                throw UsageError("model '\(model.name)' needs parameter '\(parameter.name)': give a column or --\(parameter.name)")
            }
        }
        for file in model.fileParameters where !header.contains(file.name) && files[file.name] == nil {
            throw UsageError("model '\(model.name)' needs '\(file.name)': give a column or --\(file.name) FILE")
        }
        let result: String
        do {
            result = try model.evaluateCSV(text, constants: constants, files: files, allowExtrapolation: extrapolate)
        } catch let error as ModelCSVError {
            throw ModelCommandError("\(inPath): \(error.description)")
        }
        if let outPath {
            try OutputTarget.write(Data(result.utf8), to: outPath)
        } else {
            FileHandle.standardOutput.write(Data(result.utf8))
        }
        return ExitCode.success
    }

    /// The text of `litfass model --list`.
    static func listing() -> String {
        var lines: [String] = []
        for model in ModelCatalog.models {
            lines.append("\(model.name) — \(model.summary)")
            lines.append("    result: \(model.resultName) [\(model.resultUnit)]")
            for p in model.parameters {
                let requirement: String
                switch p.requirement {
                case .required: requirement = "required"
                case let .defaultValue(v): requirement = "default \(ValidRange.format(v))"
                case let .derived(how): requirement = "optional, else \(how)"
                }
                let range = p.allowedValues != nil ? "values \(p.description)" : "valid \(p.validRange)"
                lines.append("    --\(p.name) [\(p.unit)]  \(range); \(requirement)"
                             + (p.allowedValues == nil ? " — \(p.description)" : ""))
            }
            for file in model.fileParameters {
                lines.append("    --\(file.name) FILE  required — \(file.description)")
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}

/// A data error of `litfass model` (unreadable file, bad row): exit code 1.
struct ModelCommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
