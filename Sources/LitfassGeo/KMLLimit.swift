import Foundation

/// The one size limit on KML read anywhere in Litfass (site import, `optimise --demand` and
/// `--candidates`): GDAL's KML drivers hold the whole document in memory, about twelve times its
/// size, so a KML file — or the KML a KMZ inflates to — of more than `maxBytes` is refused
/// before GDAL opens it (a KMZ from the sizes in its ZIP directory, before anything is inflated).
public enum KMLLimit {
    /// The largest KML document read [bytes]: 64 MiB.
    public static let maxBytes: UInt64 = 64 * 1_048_576

    /// Whether a path names KML or KMZ by its extension.
    public static func applies(to path: String) -> Bool {
        ["kml", "kmz"].contains(URL(fileURLWithPath: path).pathExtension.lowercased())
    }

    /// Why a KML or KMZ file is refused, or nil when it is within the limit.
    /// - Parameters:
    ///   - data: the file's bytes (mapped).
    ///   - kmz: true for a KMZ (ZIP) file.
    public static func refusal(data: Data, kmz: Bool) -> String? {
        let limit = "\(maxBytes / 1_048_576) MiB"
        let why = "GDAL's KML driver holds the whole document in memory; convert larger files to GeoPackage or CSV"
        if !kmz {
            guard UInt64(data.count) <= maxBytes else {
                return "a KML file of \(data.count / 1_048_576) MiB, above the \(limit) read (\(why))"
            }
            return nil
        }
        guard let inflated = zipUncompressedTotal(data) else { return nil }   // not a ZIP: the driver will say so
        guard inflated <= maxBytes else {
            return "a KMZ that inflates to \(inflated / 1_048_576) MiB, above the \(limit) read (\(why))"
        }
        return nil
    }

    /// `refusal(data:kmz:)` for a file on disk; nil for other extensions or a file that cannot be read (the reader will say so).
    public static func refusal(path: String) -> String? {
        guard applies(to: path), let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe) else { return nil }
        return refusal(data: data, kmz: URL(fileURLWithPath: path).pathExtension.lowercased() == "kmz")
    }

    /// The sum of the uncompressed sizes in a ZIP's central directory; `UInt64.max` for ZIP64
    /// entries (sizes beyond 4 GiB); nil when no central directory is found.
    public static func zipUncompressedTotal(_ data: Data) -> UInt64? {
        let bytes = [UInt8](data.suffix(65_557))   // end record (22 bytes) + the longest comment
        func u16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        func u32(_ b: [UInt8], _ i: Int) -> UInt64 { UInt64(b[i]) | UInt64(b[i + 1]) << 8 | UInt64(b[i + 2]) << 16 | UInt64(b[i + 3]) << 24 }
        guard bytes.count >= 22 else { return nil }
        var end = -1
        for i in stride(from: bytes.count - 22, through: 0, by: -1) where bytes[i] == 0x50 && bytes[i + 1] == 0x4B && bytes[i + 2] == 5 && bytes[i + 3] == 6 {
            end = i
            break
        }
        guard end >= 0 else { return nil }
        let entries = u16(bytes, end + 10)
        let directorySize = u32(bytes, end + 12), directoryOffset = u32(bytes, end + 16)
        if directoryOffset == 0xFFFF_FFFF || entries == 0xFFFF { return UInt64.max }
        guard directoryOffset + directorySize <= UInt64(data.count) else { return nil }
        let directory = [UInt8](data[data.startIndex + Int(directoryOffset) ..< data.startIndex + Int(directoryOffset + directorySize)])
        var total: UInt64 = 0, i = 0
        for _ in 0..<entries {
            guard i + 46 <= directory.count, directory[i] == 0x50, directory[i + 1] == 0x4B, directory[i + 2] == 1, directory[i + 3] == 2 else { return nil }
            let size = u32(directory, i + 24)
            if size == 0xFFFF_FFFF { return UInt64.max }
            total += size
            i += 46 + u16(directory, i + 28) + u16(directory, i + 30) + u16(directory, i + 32)
        }
        return total
    }
}
