import Foundation
import LitfassGeo
@testable import LitfassImport
import LitfassScenario
import _LitfassTestSupport

/// Fixture files of these tests.
enum Fixture {
    static func path(_ name: String) -> String {
        TestPaths.repository.appendingPathComponent("Tests/LitfassImportTests/Fixtures").appendingPathComponent(name).path
    }
}

/// The default (Neuss) scenario store, built once into the user's cache by `DefaultScenario`.
let defaultStore: String = {
    do { return try DefaultScenario.path() } catch { fatalError("the default scenario cannot be built: \(error)") }
}()

/// A copy of the default scenario in `folder`, to import into.
func freshStore(_ folder: TemporaryFolder, name: String = "scenario.gpkg") throws -> String {
    let path = folder.file(name).path
    try FileManager.default.copyItem(atPath: defaultStore, toPath: path)
    return path
}

/// Everything `ScenarioStore.load` gives about sites and sectors, sorted, for comparing stores.
func siteContent(_ store: String) throws -> [StoredSite] {
    let scenario = try ScenarioStore.load(path: store)
    var sectors: [String: [Sector]] = [:]
    for sector in scenario.sectors { sectors[sector.siteID, default: []].append(sector) }
    return scenario.sites.map { site in
        var stored = StoredSite(site: site, sectors: sectors[site.id] ?? [])
        stored.sectors.sort { $0.id < $1.id }
        return stored
    }.sorted { $0.site.id < $1.site.id }
}

/// The imported sites of a store by id.
func importedSites(_ store: String) throws -> [String: StoredSite] {
    Dictionary(uniqueKeysWithValues: try siteContent(store).filter { $0.site.kind == "imported" }.map { ($0.site.id, $0) })
}

/// SHA-256 of a file.
func sha(_ path: String) throws -> String { try Checksum.sha256(fileAt: path) }

/// A position in EPSG:25832 for WGS84 lon/lat.
func utm(_ lon: Double, _ lat: Double) throws -> MapPoint {
    try Projection(from: .wgs84, to: .utm32N).forward([LonLat(lon: lon, lat: lat)])[0]
}

/// dBm of a power in watts.
func dBm(watts: Double) -> Double { 10 * log10(watts) + 30 }
