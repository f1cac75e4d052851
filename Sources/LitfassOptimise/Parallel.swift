import Dispatch

/// Runs `body(i)` for `i` in `0..<count` on up to `threads` threads and returns the results in
/// index order. Work is split statically (worker w takes w, w + T, …); every index writes only its
/// own slot, so the result never depends on the thread count.
func parallelMap<T: Sendable>(_ count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let workers = min(max(1, threads), count)
    if workers <= 1 { return (0..<count).map(body) }
    let slots = ResultSlots<T>(count: count)
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        var i = worker
        while i < count {
            slots.set(i, body(i))
            i += workers
        }
    }
    return slots.values()
}

/// Fixed-size storage that concurrent workers fill at distinct indices.
final class ResultSlots<T>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }

    /// Stores index `i`'s value; each index is written by one worker only.
    func set(_ i: Int, _ value: T) { buffer[i] = value }

    /// The values in index order (after the workers finished).
    func values() -> [T] { buffer.map { $0! } }
}
