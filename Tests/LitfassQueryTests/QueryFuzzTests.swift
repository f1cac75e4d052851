import Foundation
import Testing
import LitfassScenario
@testable import LitfassQuery
import _LitfassTestSupport

/// Seeded hostile query strings through the address parser and index, and a few through the
/// `litfass query` process: no crash, exit codes below 128, one-line errors.
struct QueryFuzzTests {
    static func hostileQuery(_ random: inout HostileInput) -> String {
        let parts = ["Krefelder Straße", "Markt", "12", "12a", "2-10", "41460", "Neuss", ",", "  ", "1-999999999", "0", "-5",
                     "99999999999999999999", "Str.", "\u{0}", "ß", "é", "🙂"]
        var text = ""
        for _ in 0..<(1 + random.below(6)) {
            text += random.below(3) == 0 ? random.cell() : random.pick(parts)
            text += random.pick([" ", ",", "", " , "])
        }
        return String(text.prefix(300 + random.below(5000)))
    }

    @Test func hostileStringsThroughTheParserAndIndex() {
        let index = AddressIndex(neussScenario.addresses)
        var random = HostileInput(seed: 7)
        for _ in 0..<2000 {
            let text = Self.hostileQuery(&random)
            if let query = AddressQuery(parsing: text) { _ = index.find(query) }
        }
    }

    @Test func aFewThroughTheProcess() throws {
        var random = HostileInput(seed: 77)
        for _ in 0..<3 {
            let text = Self.hostileQuery(&random).replacingOccurrences(of: "\u{0}", with: "")
            let r = try runProcess(TestPaths.litfassExecutable, ["query", text])
            #expect(r.status < 128, "exit \(r.status) for \(text.debugDescription): \(r.stderr)")
            // Data and usage errors are one line; "not found" (3) and "ambiguous" (4) may list suggestions.
            if r.status == 1 || r.status == 2 { #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)") }
        }
    }
}
