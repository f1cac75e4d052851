import Foundation
import Glibc

/// An exclusive lock on a scenario store for the length of one change (a build writing it, an
/// import, a rollback): `flock(2)` on `<store>.lock` beside it. The kernel drops the lock when the
/// process ends in any way (also SIGKILL), so a crash never leaves a stale lock behind. A second
/// writer waits up to `timeout` seconds, then fails naming the holder.
public final class StoreLock {
    private let descriptor: Int32
    public let path: String

    /// - Parameters:
    ///   - locked: the error to throw after `timeout` seconds, from the holder's note and the wait [s].
    ///   - failed: the error to throw when the lock file cannot be created, from the system's message.
    public init(store: String, timeout: Double, purpose: String,
                locked: (_ holder: String, _ waitedSeconds: Double) -> any Error,
                failed: (_ message: String) -> any Error) throws {
        // Beside the real file, so that two names (links) of one store share one lock.
        path = URL(fileURLWithPath: store).resolvingSymlinksInPath().path + ".lock"
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw failed("cannot create the lock file \(path): \(String(cString: strerror(errno)))")
        }
        let start = Date()
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let waited = Date().timeIntervalSince(start)
            if waited >= timeout {
                var buffer = [UInt8](repeating: 0, count: 512)
                let count = pread(descriptor, &buffer, buffer.count, 0)
                let holder = count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "unknown process"
                _ = Glibc.close(descriptor)
                throw locked(holder, waited)
            }
            usleep(20_000)
        }
        let note = "pid \(getpid()), \(purpose), since \(ISO8601DateFormatter().string(from: Date()))\n"
        _ = ftruncate(descriptor, 0)
        _ = note.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        _ = Glibc.close(descriptor)
    }
}
