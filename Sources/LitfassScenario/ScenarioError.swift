/// An error building, loading or storing a scenario, naming the file and what was wrong.
public enum ScenarioError: Error, Sendable, CustomStringConvertible {
    /// The assumptions file is unreadable or a field is wrong.
    case assumptions(file: String, message: String)
    /// An input data file is missing, not of the expected kind, empty or truncated.
    case input(file: String, message: String)
    /// A scenario store cannot be read or written.
    case store(file: String, message: String)

    public var description: String {
        switch self {
        case .assumptions(let file, let message): return "\(file): \(message)"
        case .input(let file, let message): return "\(file): \(message)"
        case .store(let file, let message): return "\(file): \(message)"
        }
    }
}
