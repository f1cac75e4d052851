import Foundation
import LitfassScenario

/// The `--scenario FILE` option shared by the commands that work on a scenario: the named
/// GeoPackage, or the embedded default (Neuss) when absent.
enum ScenarioArgument {
    /// Removes `--scenario` from the arguments and returns the store's path.
    static func path(_ arguments: inout Arguments) throws -> String {
        if let path = try arguments.option("--scenario") { return path }
        return try DefaultScenario.path()
    }

    static let help = "  --scenario FILE     scenario GeoPackage (default: the embedded Neuss scenario)"
}

/// JSON output with stable key order, as every command prints it.
enum JSONOutput {
    static func string(_ value: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
