import Foundation

/// A malformed antenna pattern file: which file, which line (1-based; 0 when the whole file is
/// concerned), what was expected and what was found.
public struct AntennaPatternFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Path of the file.
    public let path: String
    /// 1-based line number, 0 for the file as a whole.
    public let line: Int
    /// What the parser expected.
    public let expected: String
    /// What it found instead.
    public let found: String

    /// Creates the error.
    public init(path: String, line: Int, expected: String, found: String) {
        self.path = path
        self.line = line
        self.expected = expected
        self.found = found
    }

    public var description: String {
        "\(path)\(line > 0 ? ":\(line)" : ""): expected \(expected), found \(found)"
    }
}

/// The header of an MSI/Planet antenna file, as far as the parser uses it.
public struct MSIHeader: Sendable, Equatable {
    /// NAME.
    public var name: String = ""
    /// FREQUENCY, in MHz as written in the file (nil when absent).
    public var frequencyMHz: Double?
    /// GAIN converted to dBi (a value in dBd gets +2.15 dB).
    public var gainDBi: Double = 0
    /// Numeric TILT or ELECTRICAL_TILT value, degrees (already contained in the vertical cut).
    public var electricalTiltDeg: Double?
    /// Every other header key with its raw value.
    public var otherKeys: [String: String] = [:]
}

extension AntennaPattern {
    /// Loads an MSI/Planet `.msi` antenna file.
    ///
    /// Format: header lines `KEY value` (NAME, FREQUENCY, GAIN with unit `dBi` or `dBd` — no unit
    /// means dBd, as in the Planet definition —, TILT, H_WIDTH, COMMENT, ...), then a block
    /// `HORIZONTAL n` followed by n lines `angle attenuation` and a block `VERTICAL n` likewise.
    /// Angles are degrees in [0, 360): horizontal clockwise from boresight, vertical downwards from
    /// the horizon (90 = nadir). Attenuations are dB below the maximum gain (≥ 0). The cuts are
    /// resampled on a 1° grid by linear interpolation (wrapping at 360°).
    /// - Parameter path: file path.
    /// - Returns: the pattern and its header.
    /// - Throws: `AntennaPatternFileError` naming the file, the line and what was expected.
    public static func loadMSI(path: String) throws -> (pattern: AntennaPattern, header: MSIHeader) {
        // At most `maxMSIBytes` are read (a full 0.1° pattern is about 100 KB); a FIFO or device
        // (/dev/zero) is cut off there as well instead of being read without end.
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            data = try handle.read(upToCount: maxMSIBytes + 1) ?? Data()
        } catch {
            throw AntennaPatternFileError(path: path, line: 0, expected: "a readable MSI file", found: "\(error.localizedDescription)")
        }
        guard data.count <= maxMSIBytes else {
            throw AntennaPatternFileError(path: path, line: 0, expected: "an MSI file of at most \(maxMSIBytes / 1_048_576) MiB (a full pattern is about 100 KB)",
                                          found: "a larger file; only the first \(maxMSIBytes / 1_048_576) MiB were read")
        }
        let text = String(decoding: data, as: UTF8.self)
        return try parseMSI(text, path: path)
    }

    /// The largest MSI file read [bytes]: 4 MiB.
    public static let maxMSIBytes = 4 * 1_048_576

    /// Parses the text of an MSI file; `path` only names it in errors. See `loadMSI(path:)`.
    /// - Throws: `AntennaPatternFileError`.
    public static func parseMSI(_ text: String, path: String) throws -> (pattern: AntennaPattern, header: MSIHeader) {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map { String($0) }
        if lines.last?.isEmpty == true { lines.removeLast() }   // the newline that ends the last line
        var header = MSIHeader()
        var sawGain = false
        var cuts: [String: [(angle: Double, attenuation: Double)]] = [:]
        var index = 0
        // Errors describe what was found, never quote it: a pattern path may name any file, and
        // its contents must not leak into messages (see docs/COVERAGE.md).
        func fail(_ line: Int, _ expected: String, _ found: String) -> AntennaPatternFileError {
            AntennaPatternFileError(path: path, line: line, expected: expected,
                                    found: found.isEmpty ? "an empty line" : "other text (\(found.count) characters)")
        }
        func fail(_ line: Int, _ expected: String, described: String) -> AntennaPatternFileError {
            AntennaPatternFileError(path: path, line: line, expected: expected, found: described)
        }
        while index < lines.count {
            let lineNumber = index + 1
            let line = lines[index].trimmingCharacters(in: .whitespaces)
            index += 1
            if line.isEmpty { continue }
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            let key = parts[0].uppercased()
            let value = parts.dropFirst().joined(separator: " ")
            switch key {
            case "HORIZONTAL", "VERTICAL":
                guard cuts[key] == nil else { throw fail(lineNumber, "one \(key) block", described: "a second \(key) block") }
                guard parts.count >= 2, let count = Int(parts[1]), count >= 2 else {
                    throw fail(lineNumber, "'\(key) n' with the number of points n ≥ 2", line)
                }
                var points: [(Double, Double)] = []
                var previousAngle = -Double.infinity
                while points.count < count {
                    guard index < lines.count else {
                        throw fail(lines.count, "\(count) lines of '\(key)' angle and attenuation",
                                   described: "end of file after \(points.count)")
                    }
                    let pointLine = lines[index].trimmingCharacters(in: .whitespaces)
                    let pointNumber = index + 1
                    index += 1
                    if pointLine.isEmpty { continue }
                    let fields = pointLine.split(whereSeparator: { $0 == " " || $0 == "\t" })
                    guard fields.count == 2, let angle = Double(fields[0]), let attenuation = Double(fields[1]),
                          angle.isFinite, attenuation.isFinite else {
                        throw fail(pointNumber, "two numbers 'angle attenuation' (point \(points.count + 1) of \(count) in \(key))", pointLine)
                    }
                    guard angle >= 0, angle < 360 else {
                        throw fail(pointNumber, "an angle in [0, 360) degrees", pointLine)
                    }
                    guard angle > previousAngle else {
                        throw fail(pointNumber, "angles in increasing order", pointLine)
                    }
                    guard attenuation >= 0 else {
                        throw fail(pointNumber, "an attenuation ≥ 0 dB below the maximum gain", pointLine)
                    }
                    previousAngle = angle
                    points.append((angle, attenuation))
                }
                cuts[key] = points
            case "NAME":
                header.name = value
            case "FREQUENCY":
                guard let f = Double(parts.count > 1 ? parts[1] : ""), f > 0 else {
                    throw fail(lineNumber, "'FREQUENCY value' with a positive number in MHz", line)
                }
                header.frequencyMHz = f
            case "GAIN":
                guard parts.count >= 2, let g = Double(parts[1]), g.isFinite else {
                    throw fail(lineNumber, "'GAIN value [dBi|dBd]'", line)
                }
                let unit = parts.count >= 3 ? parts[2].lowercased() : "dbd"
                switch unit {
                case "dbi": header.gainDBi = g
                case "dbd": header.gainDBi = g + 2.15
                default: throw fail(lineNumber, "gain unit dBi or dBd", parts[2])
                }
                sawGain = true
            case "TILT", "ELECTRICAL_TILT":
                if parts.count >= 2, let t = Double(parts[1]) { header.electricalTiltDeg = t }
                else { header.otherKeys[key] = value }
            default:
                if cuts.isEmpty {
                    header.otherKeys[key] = value
                } else {
                    throw fail(lineNumber, "a pattern point or a HORIZONTAL/VERTICAL block", line)
                }
            }
        }
        guard sawGain else { throw fail(0, "a GAIN line", described: "none") }
        guard let horizontal = cuts["HORIZONTAL"] else { throw fail(0, "a 'HORIZONTAL n' block", described: "none") }
        guard let vertical = cuts["VERTICAL"] else { throw fail(0, "a 'VERTICAL n' block", described: "none") }
        let pattern = AntennaPattern(name: header.name.isEmpty ? URL(fileURLWithPath: path).lastPathComponent : header.name,
                                     kind: .table, maxGainDBi: header.gainDBi,
                                     horizontalAttenuationDB: resample(horizontal),
                                     verticalAttenuationDB: resample(vertical))
        return (pattern, header)
    }

    /// Creates a table pattern from two 1° cuts of attenuation (dB ≥ 0 below `maxGainDBi`),
    /// 360 values each, index = angle in degrees (horizontal clockwise, vertical downwards).
    /// - Returns: nil when a cut does not have 360 finite values.
    public static func table(name: String, maxGainDBi: Double, horizontalAttenuationDB: [Double],
                             verticalAttenuationDB: [Double]) -> AntennaPattern? {
        guard horizontalAttenuationDB.count == 360, verticalAttenuationDB.count == 360,
              (horizontalAttenuationDB + verticalAttenuationDB).allSatisfy(\.isFinite) else { return nil }
        return AntennaPattern(name: name, kind: .table, maxGainDBi: maxGainDBi,
                              horizontalAttenuationDB: horizontalAttenuationDB + [horizontalAttenuationDB[0]],
                              verticalAttenuationDB: verticalAttenuationDB + [verticalAttenuationDB[0]])
    }

    /// Linear interpolation of sorted (angle, value) points on the 0…360° grid (361 values,
    /// wrapping around 360°).
    static func resample(_ points: [(angle: Double, attenuation: Double)]) -> [Double] {
        var grid = [Double](repeating: 0, count: 361)
        let n = points.count
        var j = 0   // points[j] is the last point with angle ≤ a (or n − 1 wrapping)
        for degree in 0...360 {
            let a = Double(degree % 360)
            while j + 1 < n && points[j + 1].angle <= a { j += 1 }
            let lowIndex = points[0].angle > a ? n - 1 : j
            let low = points[lowIndex], high = points[(lowIndex + 1) % n]
            var span = high.angle - low.angle
            var offset = a - low.angle
            if span <= 0 { span += 360 }
            if offset < 0 { offset += 360 }
            grid[degree] = n == 1 || span == 0 ? low.attenuation
                : low.attenuation + (high.attenuation - low.attenuation) * offset / span
        }
        return grid
    }
}
