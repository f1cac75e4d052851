import Foundation

/// One subcommand of `litfass`: its name, help text, argument validation and `run()`.
///
/// Commands stay thin: they parse and validate arguments, call a library module and print.
/// All logic a planner might want from their own Swift code lives in the library modules.
protocol Command {
    /// The word after `litfass`, e.g. `info` or `scenario build`.
    static var name: String { get }
    /// One line for `litfass --help`.
    static var summary: String { get }
    /// The full text of `litfass <name> --help`.
    static var help: String { get }
    /// Runs the command. Returns the process exit code.
    /// - Throws: `UsageError` for bad arguments (exit 2); any other error is a data error (exit 1).
    static func run(_ arguments: inout Arguments, output: Output) throws -> Int32
}

/// A mistake in how the command was called. Exit code 2.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Exit codes of `litfass`, the same for every command.
enum ExitCode {
    /// Success.
    static let success: Int32 = 0
    /// The data was wrong: a missing or unreadable file, a bad row, an impossible request.
    static let dataError: Int32 = 1
    /// The command line was wrong: an unknown option, a missing or malformed value.
    static let usageError: Int32 = 2
    /// A query found nothing (no such address); distinct from bad input.
    static let notFound: Int32 = 3
    /// A query matched several buildings: the user must say more.
    static let ambiguous: Int32 = 4
}

/// Where a command writes: standard output for results, standard error for messages.
struct Output {
    func print(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
    func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
