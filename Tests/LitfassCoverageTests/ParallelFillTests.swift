import Testing
@testable import LitfassCoverage

/// `parallelInitialize` and `SharedArray(repeating:count:threads:)`: every element gets the value, on any number of
/// threads, for counts that do and do not fill the last chunk.
@Suite struct ParallelFillTests {
    @Test(arguments: [1, 2, 5]) func everyElementIsSet(threads: Int) {
        for count in [0, 1, (1 << 18) - 1, 1 << 18, 3 * (1 << 18) + 17] {
            let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
            defer { buffer.deallocate() }
            parallelInitialize(buffer, repeating: -9999, threads: threads)
            #expect(buffer.allSatisfy { $0 == -9999 })
            let shared = SharedArray(repeating: Int32(-1), count: count, threads: threads)
            #expect(UnsafeBufferPointer(shared.pointer).allSatisfy { $0 == -1 })
        }
    }
}
