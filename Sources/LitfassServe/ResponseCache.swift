import Foundation

/// The answers of the last `capacity` distinct requests of the answer routes (`/api/query`, `/api/map`,
/// `/api/report`), keyed by the route and its arguments as sent. An answer depends only on the engine, which
/// never changes while serving, so a cached response is byte for byte the one the engine would give again.
/// Least recently used out first. Thread-safe (one lock; the engine's work is done outside it).
final class ResponseCache: @unchecked Sendable {
    struct Key: Hashable {
        var path: String
        var query: [String: String]
    }

    let capacity: Int
    private var entries: [Key: (response: HTTPResponse, lastUsed: UInt64)] = [:]
    private var clock: UInt64 = 0
    private let lock = NSLock()

    /// - Parameter capacity: responses kept at most (0 keeps none).
    init(capacity: Int) { self.capacity = max(0, capacity) }

    /// The cached response of `key`, or `make()`'s, kept when its status is not a server error.
    func response(for key: Key, make: () -> HTTPResponse) -> HTTPResponse {
        guard capacity > 0 else { return make() }
        lock.lock()
        clock += 1
        if let hit = entries[key] {
            entries[key]!.lastUsed = clock
            lock.unlock()
            return hit.response
        }
        lock.unlock()
        let response = make()
        guard response.status < 500 else { return response }
        lock.lock()
        defer { lock.unlock() }
        clock += 1
        if entries[key] == nil, entries.count >= capacity, let oldest = entries.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key {
            entries[oldest] = nil
        }
        entries[key] = (response, clock)
        return response
    }

    /// Responses held now.
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.count
    }
}
