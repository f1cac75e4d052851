import Foundation
import Testing
import LitfassGeo
import LitfassRadio
import LitfassScenario
import _LitfassTestSupport
@testable import LitfassCoverage

/// The `pattern` column reads .msi files under the site list's folder only, and errors about a
/// pattern file never quote its contents.
@Suite struct PatternPathTests {
    static let header = "id,lon,lat,height,azimuth,tilt,band,eirp,operator,pattern"
    static let msi = "NAME test\nFREQUENCY 3600\nGAIN 17 dBi\nHORIZONTAL 2\n0 0\n180 20\nVERTICAL 2\n0 0\n180 20\n"

    func load(pattern: String, in folder: TemporaryFolder) throws -> SiteList {
        let path = folder.file("sites.csv").path
        try "\(Self.header)\nM1,6.6900,51.2000,25,0,6,n78,75,Telekom,\(pattern)\n".write(toFile: path, atomically: true, encoding: .utf8)
        return try SiteList.load(path: path, assumptions: try AdHoc.assumptions())
    }

    @Test func patternsOutsideTheListsFolderAreRefused() throws {
        let folder = TemporaryFolder("pattern-paths")
        try FileManager.default.createDirectory(at: folder.file("patterns"), withIntermediateDirectories: true)
        try Self.msi.write(toFile: folder.file("patterns/a.msi").path, atomically: true, encoding: .utf8)
        let outside = TemporaryFolder("pattern-outside")
        try "SECRET-LINE-1\nSECRET-LINE-2\n".write(toFile: outside.file("secret.msi").path, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: folder.file("link.msi").path, withDestinationPath: outside.file("secret.msi").path)
        // Inside: accepted, resolved to the real file.
        let list = try load(pattern: "patterns/a.msi", in: folder)
        #expect(list.sectors[0].pattern.hasSuffix("patterns/a.msi"))
        for (value, reason) in [(outside.file("secret.msi").path, "absolute path"), ("../\(outside.url.lastPathComponent)/secret.msi", "leaves the site list's folder"),
                                ("link.msi", "outside the site list's folder"), ("patterns", "not a regular file"), ("none.msi", "neither omni")] {
            do {
                _ = try load(pattern: value, in: folder)
                Issue.record("\(value) was accepted")
            } catch let error as CoverageError {
                #expect("\(error)".contains(reason), "\(value): \(error)")
                #expect(!"\(error)".contains("SECRET"))
            }
        }
    }

    @Test func patternErrorsQuoteNoFileContents() throws {
        let folder = TemporaryFolder("pattern-paths")
        let path = folder.file("bad.msi").path
        try "NAME x\nGAIN 17 dBi\nHORIZONTAL 2\nSECRET-PASSWORD hunter2\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try AntennaPattern.loadMSI(path: path)
            Issue.record("a broken pattern loaded")
        } catch let error as AntennaPatternFileError {
            #expect(!error.description.contains("SECRET") && !error.description.contains("hunter2"), "\(error)")
            #expect(error.line == 4, "\(error)")
        }
    }
}
