import Foundation

/// Errors of `litfass serve` before it serves: the socket, the static files, the coverage maps.
public enum ServeError: Error, Sendable, CustomStringConvertible {
    /// The address or port cannot be listened on.
    case cannotListen(address: String, port: Int, reason: String)
    /// The page's files are not where the build put them.
    case missingWebFiles(String)
    /// The coverage maps (`--coverage DIR`) cannot be read.
    case coverage(String)

    public var description: String {
        switch self {
        case .cannotListen(let address, let port, let reason): return "cannot listen on \(address):\(port): \(reason)"
        case .missingWebFiles(let detail): return "the page's files are missing: \(detail)"
        case .coverage(let detail): return detail
        }
    }
}
