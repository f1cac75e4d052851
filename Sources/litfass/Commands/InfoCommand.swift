enum InfoCommand: Command {
    static let name = "info"
    static let summary = "what a scenario holds"
    static let help = "Usage: litfass info [--scenario FILE] [--format text|json]"
    static func run(_ arguments: inout Arguments, output: Output) throws -> Int32 { 0 }
}
enum ScenarioBuildCommand: Command {
    static let name = "scenario build"
    static let summary = "build a scenario GeoPackage from OpenStreetMap or another building layer"
    static let help = "Usage: litfass scenario build --osm FILE --out FILE.gpkg"
    static func run(_ arguments: inout Arguments, output: Output) throws -> Int32 { 0 }
}
