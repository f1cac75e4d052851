import Foundation
import Testing
import _LitfassTestSupport

/// Golden files of `litfass query` on a real Neuss address, one per format. Re-record on purpose
/// with `RECORD_GOLDEN=1 swift test --filter QueryGoldenTests` and review the diff.
struct QueryGoldenTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    func check(_ name: String, _ arguments: [String]) throws {
        let result = try runProcess(TestPaths.litfassExecutable, arguments)
        #expect(result.status == 0, "\(result.stderr)")
        let file = Self.folder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try result.stdout.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(result.stdout == expected, "\(name) differs from its golden file; re-record with RECORD_GOLDEN=1 if the change is intended")
    }

    @Test func text() throws { try check("query-krefelder-15.txt", ["query", "Krefelder Straße 15, 41460 Neuss"]) }
    @Test func json() throws { try check("query-krefelder-15.json", ["query", "krefelder str. 15", "--format", "json"]) }
    @Test func markdown() throws { try check("query-krefelder-15-floor2.md", ["query", "Krefelder Straße 15", "--format", "markdown", "--floor", "2"]) }
}
