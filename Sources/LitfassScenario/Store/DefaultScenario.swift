import Foundation
import LitfassGeo

/// The embedded default scenario: Neuss city centre, built from `Data/neuss-s11.osm.pbf` and
/// `Data/assumptions.json` on first use and kept in a cache keyed by the checksums of its inputs,
/// so it is rebuilt whenever an input or the store layout changes.
public enum DefaultScenario {
    public static let osmFileName = "neuss-s11.osm.pbf"
    public static let assumptionsFileName = "assumptions.json"

    /// The `Data/` folder: `$LITFASS_DATA`, else the nearest `Data/` above the executable, else `./Data`.
    /// - Throws: `ScenarioError.input` when none holds the default data.
    public static func dataDirectory() throws -> URL {
        let fm = FileManager.default
        func holdsData(_ url: URL) -> Bool { fm.fileExists(atPath: url.appendingPathComponent(assumptionsFileName).path) }
        if let env = ProcessInfo.processInfo.environment["LITFASS_DATA"], !env.isEmpty {
            let url = URL(fileURLWithPath: env)
            guard holdsData(url) else { throw ScenarioError.input(file: env, message: "LITFASS_DATA names no folder with \(assumptionsFileName)") }
            return url
        }
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            var url = executable.deletingLastPathComponent()
            for _ in 0..<6 {
                candidates.append(url.appendingPathComponent("Data"))
                url.deleteLastPathComponent()
            }
        }
        candidates.append(URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent("Data"))
        if let found = candidates.first(where: holdsData) { return found }
        throw ScenarioError.input(file: "Data/", message: "the default data folder was not found; set LITFASS_DATA or pass --scenario FILE")
    }

    /// The cache folder: `$XDG_CACHE_HOME/litfass` or `~/.cache/litfass` (the default scenario's store, the scenes of
    /// coverage runs).
    public static func cacheDirectory() -> URL {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_CACHE_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        return base.appendingPathComponent("litfass")
    }

    /// The path of the default scenario's GeoPackage, building it first when the cache lacks it.
    /// - Throws: `ScenarioError` when the data is missing or the build fails.
    public static func path() throws -> String {
        let data = try dataDirectory()
        let osm = data.appendingPathComponent(osmFileName).path
        let assumptions = data.appendingPathComponent(assumptionsFileName).path
        let defaults = data.appendingPathComponent(try Assumptions.load(path: assumptions).buildingHeights.defaultsFile).path
        var key = "schema\(ScenarioStore.schemaVersion)-\(LitfassVersion.string)-rules\(ScenarioBuilder.rulesVersion)"
        for file in [osm, assumptions, defaults] { key += try Checksum.sha256(fileAt: file) }
        let digest = String(Checksum.sha256(Data(key.utf8)).prefix(16))
        let cache = cacheDirectory()
        let target = cache.appendingPathComponent("neuss-\(digest).gpkg").path
        if FileManager.default.fileExists(atPath: target) { return target }
        do { try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true) } catch {
            throw ScenarioError.store(file: cache.path, message: "cannot create the cache folder")
        }
        let (scenario, _) = try ScenarioBuilder(osmPath: osm, assumptionsPath: assumptions).build()
        // ScenarioStore.write renames a complete file into place, so concurrent first runs are safe.
        try ScenarioStore.write(scenario, to: target)
        return target
    }
}
