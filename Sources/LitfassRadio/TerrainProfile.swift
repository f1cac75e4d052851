import Foundation

/// A terrain or building profile between a transmitter and a receiver: flat arrays of distance from
/// the transmitter and height above sea level (or any common datum), both in metres.
///
/// The first point is the transmitter ground position, the last the receiver's. Distances must
/// increase strictly.
public struct TerrainProfile: Sendable, Equatable {
    /// Distance of each point from the transmitter, m (strictly increasing, first usually 0).
    public let distancesMeters: [Double]
    /// Height of each point, m above the datum.
    public let heightsMeters: [Double]

    /// Creates a profile.
    /// - Throws: `RadioModelError.invalidProfile` for fewer than 3 points, different array lengths,
    ///   non-finite values or distances that do not strictly increase.
    public init(distancesMeters: [Double], heightsMeters: [Double]) throws {
        guard distancesMeters.count == heightsMeters.count else {
            throw RadioModelError.invalidProfile(reason: "\(distancesMeters.count) distances but \(heightsMeters.count) heights")
        }
        guard distancesMeters.count >= 3 else {
            throw RadioModelError.invalidProfile(reason: "needs at least 3 points (transmitter, one obstacle, receiver), got \(distancesMeters.count)")
        }
        for i in distancesMeters.indices {
            guard distancesMeters[i].isFinite, heightsMeters[i].isFinite else {
                throw RadioModelError.invalidProfile(reason: "point \(i + 1) is not a finite number")
            }
            if i > 0 && !(distancesMeters[i] > distancesMeters[i - 1]) {
                throw RadioModelError.invalidProfile(reason: "distances must increase strictly (point \(i + 1): \(distancesMeters[i]) after \(distancesMeters[i - 1]))")
            }
        }
        self.distancesMeters = distancesMeters
        self.heightsMeters = heightsMeters
    }

    /// Number of points.
    public var count: Int { distancesMeters.count }
    /// Path length from the first to the last point, m.
    public var lengthMeters: Double { distancesMeters[count - 1] - distancesMeters[0] }

    /// Reads a profile from a CSV file with two numeric columns, distance and height. A first line
    /// that does not start with a number is taken as a header.
    /// - Parameter distanceScale: factor from the file's distance unit to metres (1000 for km).
    /// - Throws: `RadioModelError.invalidProfile` naming the file and line of a bad row, or the
    ///   read error.
    public static func readCSV(path: String, distanceScale: Double = 1) throws -> TerrainProfile {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw RadioModelError.invalidProfile(reason: "cannot read \(path): \(error.localizedDescription)")
        }
        var distances: [Double] = [], heights: [Double] = []
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let fields = line.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\t" })
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if index == 0, let first = fields.first, Double(first) == nil { continue }   // header
            guard fields.count >= 2, let d = Double(fields[0]), let h = Double(fields[1]) else {
                throw RadioModelError.invalidProfile(reason: "\(path) line \(index + 1): expected two numbers 'distance,height', found '\(line)'")
            }
            distances.append(d * distanceScale)
            heights.append(h)
        }
        return try TerrainProfile(distancesMeters: distances, heightsMeters: heights)
    }
}
