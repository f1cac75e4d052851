import Dispatch

/// Runs `body(i)` for `i` in `0..<count` on up to `threads` threads. Work is split statically
/// (worker w takes w, w + T, w + 2T, …), so which worker computes what never affects a result
/// that each index writes only to its own storage.
func parallelFor(_ count: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
    let workers = min(max(1, threads), count)
    if workers <= 1 {
        for i in 0..<count { body(i) }
        return
    }
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        var i = worker
        while i < count {
            body(i)
            i += workers
        }
    }
}

/// Fixed-size storage that concurrent workers fill at distinct indices.
final class Slots<T>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }

    /// Stores the value of index `i`; each index must be written by one worker only.
    func set(_ i: Int, _ value: T) { buffer[i] = value }

    /// The stored values, in index order (call after the workers finished).
    func values() -> [T] { buffer.map { $0! } }
}

/// A flat array that concurrent workers write at disjoint index ranges (rows of the grid).
final class SharedArray<Element>: @unchecked Sendable {
    let pointer: UnsafeMutableBufferPointer<Element>

    init(repeating value: Element, count: Int) {
        pointer = .allocate(capacity: count)
        pointer.initialize(repeating: value)
    }

    deinit {
        pointer.deinitialize()
        pointer.deallocate()
    }

    /// A copy as a Swift array.
    func array() -> [Element] { Array(pointer) }
}
