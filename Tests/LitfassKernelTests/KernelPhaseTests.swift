import Testing
import LitfassGeo
@testable import LitfassKernel

/// The kernel's phase times (`CoverageWindow.phaseSeconds`, for the benchmarks of docs/KERNEL.md §8): one entry per
/// phase that ran, a level for every level the corner search swept, and nothing for phases that did not run.
@Suite struct KernelPhaseTests {
    static func levels(_ w: CoverageWindow) -> Int { w.phaseSeconds.keys.filter { $0.hasPrefix("corner level ") }.count }

    @Test func everySweptLevelHasATime() {
        let b = DominantPathTests.spiral()
        var t = transmitter(at: b.point(DominantPathTests.tx.column, DominantPathTests.tx.row), height: 5, range: 2000)
        let kernel = PropagationKernel(scene: b.scene, settings: DominantPathTests.settings(turns: 6))
        let free = kernel.compute(t)
        // The spiral needs four turns to reach its end (`DominantPathTests`), so at least four levels are swept, each named
        // in order; the set-up is what the corner search took besides its levels.
        let swept = Self.levels(free)
        #expect(swept >= 4 && swept <= 6)
        #expect(Set(free.phaseSeconds.keys) == Set(["direct sweep", "corner set-up"] + (0..<swept).map { "corner level \($0 + 1)" }))
        #expect(free.phaseSeconds.values.allSatisfy { $0.isFinite && $0 >= 0 })
        #expect((free.phaseSeconds["direct sweep"] ?? 0) > 0)
        // A budget of 150 dB ends the search after the state of two turns (`PowerBudgetTests`): fewer levels swept.
        t.pathLossBudgetDB = 150
        let tight = kernel.compute(t)
        #expect(Self.levels(tight) >= 1 && Self.levels(tight) < swept)
        // No corner turns: the direct sweep only.
        let direct = PropagationKernel(scene: b.scene, settings: DominantPathTests.settings(turns: 0)).compute(t)
        #expect(Array(direct.phaseSeconds.keys) == ["direct sweep"])
    }
}
