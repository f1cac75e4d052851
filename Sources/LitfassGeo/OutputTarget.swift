import Foundation

/// Where an output file may be written. Writers replace their target (temporary file + rename,
/// or remove + create), which would turn a symbolic link, a device node or a FIFO given as the
/// target into a regular file — as root, one of the system's. Every writer asks here first.
public enum OutputTarget {
    /// Checks that `path` is absent or a regular file, without following a symbolic link.
    /// - Throws: `GeoError.output` naming the file: "is a directory", "is a symbolic link",
    ///   "is a device, FIFO or socket".
    public static func check(_ path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }   // absent (or unreadable: the write will say)
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            return
        case S_IFDIR:
            throw GeoError.output(file: path, message: "is a directory; give a file name")
        case S_IFLNK:
            throw GeoError.output(file: path, message: "is a symbolic link; Litfass replaces its output files and does not write through links — give the link's target or another name")
        default:
            throw GeoError.output(file: path, message: "is a device, FIFO or socket, not a regular file; Litfass writes only regular files")
        }
    }

    /// Writes `data` to `path` through a temporary file renamed into place, after `check(_:)`.
    /// - Throws: `GeoError.output` naming the file.
    public static func write(_ data: Data, to path: String) throws {
        try check(path)
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw GeoError.output(file: path, message: "cannot write: \(Self.reason(error, path: path))")
        }
    }

    /// A short reason for a failed write: "permission denied", "no such folder", "read-only file system".
    public static func reason(_ error: Error, path: String) -> String {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !FileManager.default.fileExists(atPath: folder) { return "the folder \(folder) does not exist" }
        if access(folder, W_OK) != 0 {
            return errno == EROFS ? "the file system is read-only" : "the folder \(folder) is not writable"
        }
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return error.localizedDescription
    }
}
