import Foundation
import Testing
import _LitfassTestSupport

/// `litfass optimise` end to end: exit codes (usage 2, data 1) and the outputs.
struct OptimiseCLITests {
    func litfass(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try runProcess(TestPaths.litfassExecutable, arguments)
    }

    @Test func usageErrorsExitWith2() throws {
        for (args, message) in [(["optimise", "--out", "/tmp/x"], "give --count K or --budget EUR"),
                                (["optimise", "--count", "3", "--budget", "1000", "--out", "/tmp/x"], "not both"),
                                (["optimise", "--count", "0", "--out", "/tmp/x"], "--count expects"),
                                (["optimise", "--count", "3", "--objective", "demand", "--out", "/tmp/x"], "--objective demand needs --demand"),
                                (["optimise", "--count", "3", "--min-sinr", "loud", "--out", "/tmp/x"], "--min-sinr expects"),
                                (["optimise", "--count", "3", "--corner-turns", "9", "--out", "/tmp/x"],
                                 "--corner-turns must be between 0 and 8 corner turns, got 9"),
                                (["optimise", "--count", "3", "--corner-turns", "two", "--out", "/tmp/x"], "--corner-turns expects a whole number")] {
            let r = try litfass(args)
            #expect(r.status == 2, "\(args): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
        }
    }

    @Test func dataErrorsExitWith1AndSayWhy() throws {
        let folder = TemporaryFolder("litfass-optimise-cli")
        let r1 = try litfass(["optimise", "--budget", "5000", "--no-maps", "--out", folder.file("a").path])
        #expect(r1.status == 1, "\(r1.stderr)")
        #expect(r1.stderr.contains("below the cheapest candidate"), "\(r1.stderr)")
        let candidates = folder.file("c.csv").path
        try "id,lon,lat\nfar,13.4,52.5\n".write(toFile: candidates, atomically: true, encoding: .utf8)
        let r2 = try litfass(["optimise", "--count", "2", "--candidates", candidates, "--out", folder.file("b").path])
        #expect(r2.status == 1)
        #expect(r2.stderr.contains("candidate 'far'") && r2.stderr.contains("outside the scenario"), "\(r2.stderr)")
        let demand = folder.file("d.csv").path
        try "name,lon,lat\nshop,6.692,51.198\n".write(toFile: demand, atomically: true, encoding: .utf8)
        let r3 = try litfass(["optimise", "--count", "2", "--demand", demand, "--out", folder.file("c").path])
        #expect(r3.status == 1)
        #expect(r3.stderr.contains("has no weight"), "\(r3.stderr)")
    }

    @Test func countLargerThanCandidatesRunsAndWritesTheOutputs() throws {
        let folder = TemporaryFolder("litfass-optimise-cli")
        let out = folder.file("out").path
        let r = try litfass(["optimise", "--count", "40", "--resolution", "10", "--no-maps", "--exact", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("larger than the 14 candidates"), "\(r.stderr)")
        #expect(r.stdout.contains("Upper bound"))
        #expect(r.stdout.contains("Exact (GLPK"))
        for file in ["chosen-sites.csv", "chosen-sites.geojson", "backhaul-routes.geojson", "curve.csv", "report.md", "exact-model.lp"] {
            #expect(FileManager.default.fileExists(atPath: folder.file("out/\(file)").path), "\(file)")
        }
        let report = try String(contentsOfFile: folder.file("out/report.md").path, encoding: .utf8)
        #expect(report.contains("ILLUSTRATIVE"))
        #expect(report.contains("## Assumptions"))
        let csv = try String(contentsOfFile: folder.file("out/chosen-sites.csv").path, encoding: .utf8)
        #expect(csv.hasPrefix("rank,id,kind,lon,lat"))
    }
}
