import Foundation
import LitfassGeo
import LitfassScenario

/// `litfass scenario build`: a scenario GeoPackage from OSM and/or another building layer.
enum ScenarioBuildCommand: Command {
    static let name = "scenario build"
    static let summary = "build a scenario GeoPackage from OpenStreetMap and/or a building layer"
    static let help = """
    Usage: litfass scenario build --osm FILE [--assumptions FILE] --out FILE.gpkg
           litfass scenario build [--osm FILE] --buildings FILE --height-attribute NAME
                                  [--buildings-layer NAME] [--buildings-crs EPSG:CODE] --out FILE.gpkg

    Reads buildings (footprint, height and its source), addresses, streets, advertising columns
    (candidate small-cell sites) and rooftop mobile masts from an OpenStreetMap extract (.osm or
    .osm.pbf); places sectors on the masts as the assumptions file says; generates the
    illustrative fibre layer. With --buildings, the buildings come from any layer GDAL reads
    (GeoPackage, GeoJSON, Shapefile, CityGML LoD2, ...) with heights from --height-attribute.

    Options:
      --osm FILE                OpenStreetMap extract
      --assumptions FILE        assumptions JSON (default: Data/assumptions.json)
      --buildings FILE          building layer replacing the OSM buildings
      --height-attribute NAME   attribute of --buildings holding the height above ground [m]
      --buildings-layer NAME    layer of --buildings (default: its first layer)
      --buildings-crs EPSG:CODE CRS of --buildings when the file declares none
      --out FILE.gpkg           the scenario store to write (replaced atomically when it exists)
    """

    static func run(_ arguments: inout Arguments, output: Output) throws -> Int32 {
        let osm = try arguments.option("--osm")
        let buildingsPath = try arguments.option("--buildings")
        let heightAttribute = try arguments.option("--height-attribute")
        let buildingsLayer = try arguments.option("--buildings-layer")
        let crsText = try arguments.option("--buildings-crs")
        let assumptions = try arguments.option("--assumptions")
        guard let out = try arguments.option("--out") else { throw UsageError("--out FILE.gpkg is required") }
        try arguments.finish()
        guard osm != nil || buildingsPath != nil else { throw UsageError("give --osm FILE, --buildings FILE, or both") }
        guard out.lowercased().hasSuffix(".gpkg") else { throw UsageError("--out must name a .gpkg file, got '\(out)'") }
        if buildingsPath != nil, heightAttribute == nil { throw UsageError("--buildings needs --height-attribute NAME") }
        if buildingsPath == nil, heightAttribute != nil || buildingsLayer != nil || crsText != nil {
            throw UsageError("--height-attribute, --buildings-layer and --buildings-crs go with --buildings")
        }
        var crs: CRS?
        if let crsText {
            guard let parsed = CRS(parsing: crsText) else { throw UsageError("--buildings-crs expects EPSG:CODE, got '\(crsText)'") }
            crs = parsed
        }
        let assumptionsPath = try assumptions ?? DefaultScenario.dataDirectory().appendingPathComponent(DefaultScenario.assumptionsFileName).path
        let layer = buildingsPath.map { ScenarioBuilder.BuildingLayer(path: $0, heightAttribute: heightAttribute!, crs: crs, layer: buildingsLayer) }
        let start = Date()
        let (scenario, report) = try ScenarioBuilder(osmPath: osm, buildingLayer: layer, assumptionsPath: assumptionsPath).build()
        try ScenarioStore.write(scenario, to: out)
        for warning in report.warnings { output.printError("warning: \(warning)") }
        output.print("Wrote \(out) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
        output.print(try ScenarioSummary(scenario).text(path: out))
        return ExitCode.success
    }
}
