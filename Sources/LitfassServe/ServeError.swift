import Foundation

/// Errors of `litfass serve` before it serves: the socket, the static files.
public enum ServeError: Error, Sendable, CustomStringConvertible {
    /// The address or port cannot be listened on.
    case cannotListen(address: String, port: Int, reason: String)
    /// The page's files are not where the build put them.
    case missingWebFiles(String)

    public var description: String {
        switch self {
        case .cannotListen(let address, let port, let reason): return "cannot listen on \(address):\(port): \(reason)"
        case .missingWebFiles(let detail): return "the page's files are missing: \(detail)"
        }
    }
}
