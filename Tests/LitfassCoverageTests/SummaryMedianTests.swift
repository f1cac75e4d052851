import Testing
@testable import LitfassCoverage

/// The summary's median by selection gives the value sorting gives, on lists with many ties (the
/// zeros of cells without service) as on distinct values.
@Suite struct SummaryMedianTests {
    /// A small seeded generator (SplitMix64), so a failure can be replayed.
    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func selectionMatchesSorting() {
        var random = SplitMix64(state: 16)
        for trial in 0..<400 {
            let count = 1 + Int(random.next() % 300)
            let distinct = 1 + Int(random.next() % 20)
            let values = (0..<count).map { _ in
                trial % 2 == 0 ? Double(random.next() % UInt64(distinct)) : Double(random.next() % 1_000_000) / 7
            }
            let sorted = values.sorted()
            for rank in [0, count / 2, count - 1, Int(random.next() % UInt64(count))] {
                var work = values
                let selected = CoverageSummary.select(rank: rank, in: &work)
                #expect(selected == sorted[rank], "trial \(trial), rank \(rank)")
                #expect(work[0..<rank].allSatisfy { $0 <= selected } && work[rank...].allSatisfy { $0 >= selected })
            }
        }
    }

    @Test func medianOfHandCheckableLists() {
        var odd: [Double] = [5, 1, 3]
        #expect(CoverageSummary.select(rank: 1, in: &odd) == 3)
        var even: [Double] = [0, 0, 10, 70]
        #expect(CoverageSummary.select(rank: 2, in: &even) == 10 && even[0..<2].max() == 0)
    }
}
