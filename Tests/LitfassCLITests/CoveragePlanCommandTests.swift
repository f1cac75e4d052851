import Foundation
import Testing
import _LitfassTestSupport

/// `coverage plan`, `coverage tile`, `coverage mosaic` as a job array calls them: exit codes and messages.
struct CoveragePlanCommandTests {
    /// Two sites over the default scenario (Neuss), WGS84.
    static let sites = """
    id,lon,lat,height,azimuth,tilt,band,eirp,operator
    A,6.68094086828864,51.2078067672875,25,0,4,B3,46,Test
    B,6.68982882594612,51.2018669048421,25,90,4,B3,46,Test

    """

    @Test func planTileMosaicAndTheirErrors() throws {
        let folder = TemporaryFolder("cli-plan")
        let sites = folder.url.appendingPathComponent("sites.csv").path
        try Self.sites.write(toFile: sites, atomically: true, encoding: .utf8)
        let dir = folder.url.appendingPathComponent("plan").path
        let plan = try litfass("coverage", "plan", "--sites", sites, "--resolution", "20", "--max-range", "500", "--tile-size", "1000", "--out", dir)
        #expect(plan.status == 0, "\(plan.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/plan.json"))) as? [String: Any])
        let count = try #require(json["tileCount"] as? Int)
        #expect(count >= 2)
        #expect(plan.stdout.hasPrefix("Planned \(count) tiles of 1000 m"), "\(plan.stdout)")

        let bad = try litfass("coverage", "tile", "--plan", dir, "--index", String(count))
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--index \(count) is not a tile of the plan: it has \(count) tiles, 0…\(count - 1)"), "\(bad.stderr)")

        let early = try litfass("coverage", "mosaic", "--plan", dir)
        #expect(early.status == 1)
        #expect(early.stderr.contains("tiles not computed for this plan: 0, 1"), "\(early.stderr)")

        let tile = try litfass("coverage", "tile", "--plan", dir, "--index", "0", "--threads", "1")
        #expect(tile.status == 0, "\(tile.stderr)")
        #expect(tile.stdout.hasPrefix("Computed tile 0 in "), "\(tile.stdout)")
        #expect(FileManager.default.fileExists(atPath: dir + "/tiles/0/test-rsrp.tif"))
        let again = try litfass("coverage", "tile", "--plan", dir, "--index", "0")
        #expect(again.status == 0 && again.stdout.hasPrefix("Tile 0 unchanged"), "\(again.stdout)")

        // An input changed after planning: the tile refuses and says to plan again.
        try (Self.sites + "C,6.685,51.205,25,180,4,B3,46,Test\n").write(toFile: sites, atomically: true, encoding: .utf8)
        let stale = try litfass("coverage", "tile", "--plan", dir, "--index", "1")
        #expect(stale.status == 1)
        #expect(stale.stderr.contains("changed since the plan was made") && stale.stderr.contains("run 'litfass coverage plan'"), "\(stale.stderr)")
        let replan = try litfass("coverage", "plan", "--sites", sites, "--resolution", "20", "--max-range", "500", "--tile-size", "1000", "--out", dir)
        #expect(replan.status == 0)
        #expect(replan.stdout.contains("Changed since the previous plan: "), "\(replan.stdout)")
    }

    @Test func tileSizeMustBeAMultipleOfTheResolution() throws {
        let result = try litfass("coverage", "plan", "--resolution", "20", "--tile-size", "1010", "--out", "/tmp/never-written-plan")
        #expect(result.status == 2)
        #expect(result.stderr.contains("--tile-size must be a whole multiple of --resolution"), "\(result.stderr)")
    }

    @Test func helpNamesTheCommands() throws {
        let top = try litfass("--help")
        for command in ["coverage plan", "coverage tile", "coverage mosaic"] {
            #expect(top.stdout.contains("  \(command)"))
            let help = try runProcess(TestPaths.litfassExecutable, command.split(separator: " ").map(String.init) + ["--help"])
            #expect(help.status == 0 && help.stdout.hasPrefix("Usage: litfass \(command)"))
        }
    }
}
