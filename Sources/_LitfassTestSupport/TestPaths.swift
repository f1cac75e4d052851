import Foundation

/// Paths the tests read in place: the repository, its `Data/` folder, and `Tests/Fixtures/` with the
/// real geodata and the reference results computed by others (provenance and licences in
/// `Tests/Fixtures/README.md`). Tests read nothing outside the repository.
public enum TestPaths {
    /// The repository root, found from this source file's location.
    public static let repository: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// `Data/` of the repository.
    public static var data: URL { repository.appendingPathComponent("Data") }

    /// `Tests/Fixtures/` of the repository: real geodata and reference results, with provenance.
    public static var fixtures: URL { repository.appendingPathComponent("Tests/Fixtures") }

    /// A reference file in `Tests/Fixtures/reference/`, e.g. `reference("itu-p2109-sg3/p2109_bel_reference.csv")`.
    public static func reference(_ relativePath: String) -> URL {
        fixtures.appendingPathComponent("reference").appendingPathComponent(relativePath)
    }

    /// A real geodata file in `Tests/Fixtures/data/`, e.g. `fixtureData("osm/miraustr.osm.pbf")`.
    public static func fixtureData(_ relativePath: String) -> URL {
        fixtures.appendingPathComponent("data").appendingPathComponent(relativePath)
    }

    /// The built `litfass` executable of the current build configuration.
    public static var litfassExecutable: URL {
        // Test bundles live in .build/<triple>/<config>/; the executable sits beside them.
        let bundle = Bundle.main.bundleURL
        var candidates = [bundle.appendingPathComponent("litfass"),
                          bundle.deletingLastPathComponent().appendingPathComponent("litfass")]
        for arg in CommandLine.arguments.prefix(1) {
            let dir = URL(fileURLWithPath: arg).deletingLastPathComponent()
            candidates.append(dir.appendingPathComponent("litfass"))
        }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        return repository.appendingPathComponent(".build/debug/litfass")
    }
}

/// A fresh temporary folder, removed when the value is released.
public final class TemporaryFolder: @unchecked Sendable {
    public let url: URL

    public init(_ label: String = "litfass-test") {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A path inside the folder.
    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Reads a CSV file with a header row into dictionaries keyed by column name. For reference files
/// only: plain comma-separated values without quoting.
public func readReferenceCSV(_ url: URL, separator: Character = ",") throws -> [[String: String]] {
    let text = try String(contentsOf: url, encoding: .utf8)
    var lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
    guard !lines.isEmpty else { return [] }
    let header = lines.removeFirst().split(separator: separator, omittingEmptySubsequences: false)
        .map { $0.trimmingCharacters(in: .whitespaces) }
    return lines.map { line in
        let fields = line.split(separator: separator, omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        var row: [String: String] = [:]
        for (index, name) in header.enumerated() where index < fields.count { row[name] = fields[index] }
        return row
    }
}

/// Runs a process and returns its exit code, standard output and standard error.
public func runProcess(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil)
    throws -> (status: Int32, stdout: String, stderr: String)
{
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let environment { process.environment = environment }
    // Output goes to temporary files, so a large output can never block the child.
    let folder = TemporaryFolder("litfass-process")
    let outURL = folder.file("stdout"), errURL = folder.file("stderr")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)
    process.standardOutput = outHandle
    process.standardError = errHandle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try outHandle.close()
    try errHandle.close()
    let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self),
            String(decoding: errData, as: UTF8.self))
}
