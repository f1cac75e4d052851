import Foundation
import Testing
import _LitfassTestSupport

/// Demand weights the reports cannot hold (1e19), hex floats and `nan`: a row error, exit 1, never a trap.
struct HostileDemandTests {
    @Test(arguments: [("1e19", "above the largest accepted"), ("0x1p6", "expected a decimal number"),
                      ("nan", "expected a decimal number"), ("inf", "expected a decimal number")])
    func impossibleWeightsAreRowErrors(weight: String, message: String) throws {
        let folder = TemporaryFolder("litfass-optimise-hostile")
        let demand = folder.file("d.csv").path
        try "name,lon,lat,weight\nshop,6.692,51.198,\(weight)\n".write(toFile: demand, atomically: true, encoding: .utf8)
        let r = try runProcess(TestPaths.litfassExecutable,
                               ["optimise", "--count", "2", "--no-maps", "--resolution", "20", "--demand", demand, "--out", folder.file("o").path])
        #expect(r.status == 1, "\(weight): \(r.status) \(r.stderr)")
        #expect(r.stderr.contains("d.csv") && r.stderr.contains(message), "\(weight): \(r.stderr)")
    }

    @Test func weightsSummingBeyondTheTotalAreAnError() throws {
        let folder = TemporaryFolder("litfass-optimise-hostile")
        let demand = folder.file("d.csv").path
        let rows = (0..<2000).map { "s\($0),6.692,51.198,999999999999" }.joined(separator: "\n")
        try "name,lon,lat,weight\n\(rows)\n".write(toFile: demand, atomically: true, encoding: .utf8)
        let r = try runProcess(TestPaths.litfassExecutable,
                               ["optimise", "--count", "2", "--no-maps", "--resolution", "20", "--demand", demand, "--out", folder.file("o").path])
        #expect(r.status == 1, "\(r.status) \(r.stderr)")
        #expect(r.stderr.contains("largest accepted total"), "\(r.stderr)")
    }
}
