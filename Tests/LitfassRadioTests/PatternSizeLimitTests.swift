import Foundation
import Testing
import _LitfassTestSupport
import LitfassRadio

/// An .msi file is read up to 4 MiB: a huge file (or a device) is refused after the limit, not
/// read whole.
struct PatternSizeLimitTests {
    @Test func aHugePatternFileIsRefusedAfterTheLimit() throws {
        let folder = TemporaryFolder("pattern-paths")
        let path = folder.file("huge.msi").path
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 64 * 1_048_576)   // sparse: 64 MiB of zero bytes
        try handle.close()
        let start = Date()
        #expect(throws: AntennaPatternFileError.self) { try AntennaPattern.loadMSI(path: path) }
        #expect(Date().timeIntervalSince(start) < 2)
        do { _ = try AntennaPattern.loadMSI(path: path) } catch { #expect("\(error)".contains("at most 4 MiB"), "\(error)") }
    }
}
