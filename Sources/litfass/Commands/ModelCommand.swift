import LitfassRadio

/// `litfass model`: evaluates one radio model. (Being written with the radio physics module.)
enum ModelCommand: Command {
    static let name = "model"
    static let summary = "evaluate a radio propagation model (path loss, diffraction, throughput)"
    static let help = "Usage: litfass model <name> --<param> <value> ..."
    static func run(_ arguments: inout Arguments, output: Output) throws -> Int32 {
        throw UsageError("no models yet")
    }
}
