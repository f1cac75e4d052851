import Foundation
internal import CGDAL

/// SHA-256 checksums of input files, written into every output's metadata so that a result can be
/// traced to the exact inputs that produced it. Wraps GDAL's `CPL_SHA256`.
public enum Checksum {
    /// The SHA-256 of `data` as 64 lowercase hex digits.
    public static func sha256(_ data: Data) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        data.withUnsafeBytes { bytes in CPL_SHA256(bytes.baseAddress, bytes.count, &digest) }
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    /// The SHA-256 of a file's bytes.
    /// - Throws: the file system's error when the file cannot be read.
    public static func sha256(fileAt path: String) throws -> String {
        sha256(try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
