import Dispatch
import Synchronization

/// Runs `body(i)` for `i` in `0..<count` on up to `threads` threads. Workers take the next index as they become free
/// (a shared counter), so items of unequal cost — kernel windows of transmitters near and far from the data area —
/// keep every thread busy; which worker computes what never affects a result that each index writes only to its own
/// storage.
public func parallelFor(_ count: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
    let workers = min(max(1, threads), count)
    if workers <= 1 {
        for i in 0..<count { body(i) }
        return
    }
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
            let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard i < count else { return }
            body(i)
        }
    }
}

public func parallelMap<T: Sendable>(_ count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
    if min(max(1, threads), count) <= 1 { return (0..<count).map(body) }
    let slots = Slots<T>(count: count)
    parallelFor(count, threads: threads) { slots.set($0, body($0)) }
    return slots.values()
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

/// Initialises `buffer` with `value`, in chunks on up to `threads` threads. On a fresh allocation most of the time is the
/// first touch of its pages (the OS kernel clears each page), which the cores then take in parallel instead of one.
func parallelInitialize<T: BitwiseCopyable & Sendable>(_ buffer: UnsafeMutableBufferPointer<T>, repeating value: T, threads: Int) {
    let chunk = 1 << 18
    let target = UncheckedBuffer(buffer)
    parallelFor((buffer.count + chunk - 1) / chunk, threads: threads) { k in
        let lo = k * chunk, hi = min(target.buffer.count, lo + chunk)
        UnsafeMutableBufferPointer(rebasing: target.buffer[lo..<hi]).initialize(repeating: value)
    }
}

/// A buffer that the workers of a parallel loop write at disjoint indices.
struct UncheckedBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}

/// A flat array that concurrent workers write at disjoint index ranges (rows of the grid).
final class SharedArray<Element: BitwiseCopyable & Sendable>: @unchecked Sendable {
    let pointer: UnsafeMutableBufferPointer<Element>

    /// `count` copies of `value`, written on up to `threads` threads (`parallelInitialize`).
    init(repeating value: Element, count: Int, threads: Int = 1) {
        pointer = .allocate(capacity: count)
        parallelInitialize(pointer, repeating: value, threads: threads)
    }

    deinit {
        pointer.deinitialize()
        pointer.deallocate()
    }

}
