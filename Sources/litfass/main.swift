import Foundation
import LitfassScenario

/// Every subcommand of `litfass`, in the order `litfass --help` lists them.
let commands: [any Command.Type] = [
    QueryCommand.self,
    ServeCommand.self,
    InfoCommand.self,
    ScenarioBuildCommand.self,
    HeightsDeriveCommand.self,
    ModelCommand.self,
    CoverageCommand.self,
    CoveragePlanCommand.self,
    CoverageTileCommand.self,
    CoverageMosaicCommand.self,
    OptimiseCommand.self,
    ImportSitesCommand.self,
    SitesListCommand.self,
    SitesExportCommand.self,
    SitesHistoryCommand.self,
    SitesRollbackCommand.self,
]

let toolHelp = """
litfass — coverage planning for mobile networks and fibre

Usage: litfass <command> [options]

Commands:
\(commands.map { "  " + $0.name.padding(toLength: 18, withPad: " ", startingAt: 0) + $0.summary }.joined(separator: "\n"))

Run 'litfass <command> --help' for the options of one command.
Without --scenario, commands use the embedded default scenario (Neuss city centre,
OpenStreetMap data © OpenStreetMap contributors, ODbL 1.0).

Exit codes: 0 success, 1 data error, 2 usage error, 3 not found, 4 ambiguous.
"""

@MainActor func main() -> Int32 {
    // A coverage run allocates and frees arrays of millions of cells (windows, maps, tiles). glibc hands out each one above
    // its mmap threshold as fresh pages that the OS kernel must fault in and zero, and gives them back on free; kept in the
    // heap, freed arrays are reused. One small cell at 2 m: system time 0.21 s → 0.13 s with arrays up to 32 MiB kept (the
    // largest mmap threshold glibc accepts), the same peak memory; with none mapped on their own, the default scenario at
    // 2 m, whose whole-grid windows need 34 MB packed copies: 630 000 → 267 000 page faults, system time 2.5 s → 1.15 s,
    // peak memory 1.14–1.21 GB → 1.12 GB (docs/KERNEL.md §8).
    tuneAllocator()
    let output = Output()
    var words = Array(CommandLine.arguments.dropFirst())
    if words.isEmpty || words == ["--help"] || words == ["-h"] || words == ["help"] {
        output.print(toolHelp)
        return words.isEmpty ? ExitCode.usageError : ExitCode.success
    }
    if words == ["--version"] {
        output.print("litfass \(LitfassVersion.string)")
        return ExitCode.success
    }
    // Longest command name that matches the leading words ("scenario build" before "scenario").
    let match = commands
        .filter { command in
            let parts = command.name.split(separator: " ").map(String.init)
            return words.count >= parts.count && Array(words.prefix(parts.count)) == parts
        }
        .max { $0.name.count < $1.name.count }
    guard let command = match else {
        output.printError("litfass: unknown command '\(words[0])'; run 'litfass --help' for the list")
        return ExitCode.usageError
    }
    words.removeFirst(command.name.split(separator: " ").count)
    var arguments = Arguments(words)
    if arguments.wantsHelp {
        output.print(command.help)
        return ExitCode.success
    }
    do {
        return try command.run(&arguments, output: output)
    } catch let error as UsageError {
        output.printError("litfass \(command.name): \(error.description) (see 'litfass \(command.name) --help')")
        return ExitCode.usageError
    } catch {
        output.printError("litfass \(command.name): \(describe(error))")
        return ExitCode.dataError
    }
}

/// Keeps large arrays in glibc's heap: no allocation gets a mapping of its own (M_MMAP_MAX −4 set to 0; glibc still maps
/// what a heap cannot hold) and freed memory stays in the heap up to 256 MiB (M_TRIM_THRESHOLD −1), so it is reused
/// rather than returned and faulted in again (`mallopt`, malloc.h). Swift's Glibc module does not export malloc.h, so the
/// function is looked up by name; without it (another C library) nothing changes.
func tuneAllocator() {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
    let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
    _ = mallopt(-4, 0)
    _ = mallopt(-1, 256 << 20)
}

/// One line for an error: its own description when it has one.
func describe(_ error: any Error) -> String {
    String(describing: error)
}

exit(main())
