import Foundation

/// A closed interval of valid values of one model parameter, in the parameter's own unit.
public struct ValidRange: Sendable, Equatable, CustomStringConvertible {
    /// Smallest valid value.
    public let lower: Double
    /// Largest valid value.
    public let upper: Double
    /// Whether the lower bound itself is excluded (e.g. `> 0`).
    public let lowerExclusive: Bool
    /// Whether the upper bound itself is excluded (e.g. `< 100`).
    public let upperExclusive: Bool

    /// A range `[lower, upper]`, with either end optionally open.
    public init(_ lower: Double, _ upper: Double, lowerExclusive: Bool = false, upperExclusive: Bool = false) {
        self.lower = lower
        self.upper = upper
        self.lowerExclusive = lowerExclusive
        self.upperExclusive = upperExclusive
    }

    /// Everything above zero: `(0, ∞)`.
    public static let positive = ValidRange(0, .infinity, lowerExclusive: true)
    /// Every finite number.
    public static let any = ValidRange(-.infinity, .infinity)

    /// Whether `value` lies in the range (NaN never does).
    @inlinable
    public func contains(_ value: Double) -> Bool {
        guard !value.isNaN else { return false }
        let aboveLower = lowerExclusive ? value > lower : value >= lower
        let belowUpper = upperExclusive ? value < upper : value <= upper
        return aboveLower && belowUpper
    }

    /// E.g. `[10, 5000]`, `(0, 100)`, `(0, ∞)`, `[5e8, 1e11]`.
    public var description: String {
        (lowerExclusive || lower == -.infinity ? "(" : "[") + Self.format(lower) + ", " + Self.format(upper)
            + (upperExclusive || upper == .infinity ? ")" : "]")
    }

    /// A number in short form: integers as integers, large or small magnitudes as `3.6e9`.
    public static func format(_ x: Double) -> String {
        if x == .infinity { return "∞" }
        if x == -.infinity { return "-∞" }
        if x.isNaN { return "nan" }
        if x != 0 && (abs(x) >= 1e5 || abs(x) < 1e-3) {
            let exponent = Int(floor(log10(abs(x))))
            let mantissa = x / pow(10, Double(exponent))
            return format(mantissa.rounded(toPlaces: 6)) + "e" + String(exponent)
        }
        if x == x.rounded() { return String(Int64(x)) }
        var text = String(format: "%.6f", x)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}

extension Double {
    /// The value rounded to `places` decimals.
    func rounded(toPlaces places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (self * scale).rounded() / scale
    }
}

/// What can go wrong when a radio model is evaluated through its checked API or the catalogue.
public enum RadioModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A parameter is outside the range in which the model is defined or was validated.
    case outOfRange(parameter: String, value: Double, validRange: ValidRange)
    /// A parameter has a value the model cannot take at all (wrong category code, inconsistent inputs).
    case invalidValue(parameter: String, value: Double, reason: String)
    /// The catalogue has no model of this name.
    case unknownModel(name: String)
    /// The model has no parameter of this name.
    case unknownParameter(model: String, parameter: String)
    /// A parameter without default was not given.
    case missingParameter(model: String, parameter: String)
    /// A terrain or building profile is unusable (too short, not increasing, unreadable).
    case invalidProfile(reason: String)

    public var description: String {
        switch self {
        case let .outOfRange(parameter, value, validRange):
            return "\(parameter) = \(ValidRange.format(value)) is outside the valid range \(validRange)"
                + " (allow extrapolation to evaluate anyway)"
        case let .invalidValue(parameter, value, reason):
            return "\(parameter) = \(value) is not valid: \(reason)"
        case let .unknownModel(name):
            return "unknown model '\(name)'"
        case let .unknownParameter(model, parameter):
            return "model '\(model)' has no parameter '\(parameter)'"
        case let .missingParameter(model, parameter):
            return "model '\(model)' needs parameter '\(parameter)'"
        case let .invalidProfile(reason):
            return "invalid profile: \(reason)"
        }
    }

    /// Throws `outOfRange` when `value` is outside `range`, unless extrapolation is allowed.
    /// NaN and infinite values are always rejected.
    /// - Throws: `RadioModelError.outOfRange`.
    @inlinable
    public static func check(_ parameter: String, _ value: Double, in range: ValidRange,
                             allowExtrapolation: Bool) throws {
        if range.contains(value) { return }
        if allowExtrapolation && value.isFinite { return }
        throw RadioModelError.outOfRange(parameter: parameter, value: value, validRange: range)
    }

    /// Throws `outOfRange` when `value` is outside `domain`, whatever the extrapolation setting
    /// (for limits where the formula itself breaks down, e.g. a logarithm of zero).
    /// - Throws: `RadioModelError.outOfRange`.
    @inlinable
    public static func require(_ parameter: String, _ value: Double, in domain: ValidRange) throws {
        if !domain.contains(value) || !value.isFinite {
            throw RadioModelError.outOfRange(parameter: parameter, value: value, validRange: domain)
        }
    }
}
