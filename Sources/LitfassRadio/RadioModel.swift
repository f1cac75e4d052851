import Foundation

/// One numeric parameter of a catalogue model.
public struct ModelParameter: Sendable, Equatable {
    /// How a parameter without a value is handled.
    public enum Requirement: Sendable, Equatable {
        /// Must be given.
        case required
        /// Has this default value.
        case defaultValue(Double)
        /// May be left out; the model then derives it (the text says how).
        case derived(String)
    }

    /// Name, as used on the command line (`--name`) and in CSV headers.
    public let name: String
    /// Unit, e.g. "Hz", "m", "dB", "%"; "code" for categorical values.
    public let unit: String
    /// What it means; for a code, the meaning of each value.
    public let description: String
    /// Range in which the model is valid; outside it only with extrapolation.
    public let validRange: ValidRange
    /// Range outside which the formula breaks down; never accepted (defaults to `validRange`
    /// widened to every finite number when not given).
    public let domain: ValidRange
    /// Allowed values of a categorical parameter (nil for a continuous one).
    public let allowedValues: [Double]?
    /// Required, defaulted or derived.
    public let requirement: Requirement

    /// Creates a parameter.
    public init(_ name: String, unit: String, _ description: String, valid: ValidRange, domain: ValidRange = .any,
                allowedValues: [Double]? = nil, requirement: Requirement = .required) {
        self.name = name
        self.unit = unit
        self.description = description
        self.validRange = valid
        self.domain = domain
        self.allowedValues = allowedValues
        self.requirement = requirement
    }

    /// A categorical parameter taking the integer codes `codes`.
    public static func code(_ name: String, _ description: String, codes: ClosedRange<Int>,
                            requirement: Requirement = .required) -> ModelParameter {
        ModelParameter(name, unit: "code", description, valid: ValidRange(Double(codes.lowerBound), Double(codes.upperBound)),
                       domain: ValidRange(Double(codes.lowerBound), Double(codes.upperBound)),
                       allowedValues: codes.map(Double.init), requirement: requirement)
    }
}

/// The values handed to a model's evaluator: checked, with defaults filled in.
public struct ModelInputs: Sendable {
    /// Parameter values by name (given or default; derived ones only when given).
    public let values: [String: Double]
    /// File parameters by name (e.g. `profile`).
    public let files: [String: String]
    /// Whether the caller allowed extrapolation.
    public let allowExtrapolation: Bool

    /// The value of a parameter that is given or has a default.
    public subscript(_ name: String) -> Double { values[name] ?? .nan }
    /// The value of a parameter, or nil when it was left out.
    public func optional(_ name: String) -> Double? { values[name] }
}

/// A model of the catalogue: its description, parameters, result and evaluator.
public struct RadioModel: Sendable {
    /// Name, e.g. `38901-uma`.
    public let name: String
    /// One line describing the model and its source.
    public let summary: String
    /// Numeric parameters.
    public let parameters: [ModelParameter]
    /// File parameters (paths), e.g. `profile` for a terrain profile CSV, with their descriptions.
    public let fileParameters: [(name: String, description: String)]
    /// Name of the result, e.g. `pathLossDB`.
    public let resultName: String
    /// Unit of the result, e.g. `dB`.
    public let resultUnit: String
    let evaluator: @Sendable (ModelInputs) throws -> Double

    /// Creates a model.
    public init(name: String, summary: String, parameters: [ModelParameter],
                fileParameters: [(name: String, description: String)] = [], resultName: String, resultUnit: String,
                evaluator: @escaping @Sendable (ModelInputs) throws -> Double) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.fileParameters = fileParameters
        self.resultName = resultName
        self.resultUnit = resultUnit
        self.evaluator = evaluator
    }

    /// The parameter of that name, if any.
    public func parameter(named name: String) -> ModelParameter? { parameters.first { $0.name == name } }

    /// Evaluates the model.
    ///
    /// Unknown names are rejected, defaults filled in, each value checked against its valid range
    /// (unless `allowExtrapolation`) and its domain (always), categorical codes checked, then the
    /// model's own checked API is called (which may check ranges that depend on other parameters).
    /// - Parameters:
    ///   - parameters: values by parameter name.
    ///   - files: file paths by file-parameter name.
    ///   - allowExtrapolation: accept values outside the valid ranges.
    /// - Returns: the result, in `resultUnit`.
    /// - Throws: `RadioModelError` (unknown/missing parameter, out of range, invalid value or
    ///   profile), `P2108Error` for P.2108 input the NTIA implementation rejects.
    public func evaluate(parameters values: [String: Double], files: [String: String] = [:],
                         allowExtrapolation: Bool) throws -> Double {
        for name in values.keys where parameter(named: name) == nil {
            throw RadioModelError.unknownParameter(model: self.name, parameter: name)
        }
        for name in files.keys where !fileParameters.contains(where: { $0.name == name }) {
            throw RadioModelError.unknownParameter(model: self.name, parameter: name)
        }
        var resolved: [String: Double] = [:]
        for p in parameters {
            guard let value = values[p.name] else {
                switch p.requirement {
                case .required: throw RadioModelError.missingParameter(model: name, parameter: p.name)
                case let .defaultValue(v): resolved[p.name] = v
                case .derived: break
                }
                continue
            }
            if let allowed = p.allowedValues, !allowed.contains(value) {
                throw RadioModelError.invalidValue(parameter: p.name, value: value,
                                                   reason: "expected one of \(allowed.map { String(Int($0)) }.joined(separator: ", ")): \(p.description)")
            }
            try RadioModelError.check(p.name, value, in: p.validRange, allowExtrapolation: allowExtrapolation)
            try RadioModelError.require(p.name, value, in: p.domain)
            resolved[p.name] = value
        }
        for file in fileParameters where files[file.name] == nil {
            throw RadioModelError.missingParameter(model: name, parameter: file.name)
        }
        return try evaluator(ModelInputs(values: resolved, files: files, allowExtrapolation: allowExtrapolation))
    }

    /// Evaluates a model without file parameters. See `evaluate(parameters:files:allowExtrapolation:)`.
    /// - Throws: as `evaluate(parameters:files:allowExtrapolation:)`.
    public func evaluate(parameters values: [String: Double], allowExtrapolation: Bool) throws -> Double {
        try evaluate(parameters: values, files: [:], allowExtrapolation: allowExtrapolation)
    }
}
