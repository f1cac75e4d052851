import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A finished child process: wall time from spawn to reaped, and its own CPU time (user + system, all its threads).
struct ProcessTime {
    var wallSeconds: Double
    var cpuSeconds: Double
}

enum ProcessTimingError: Error, CustomStringConvertible {
    case spawn(String, Int32)
    case wait(String, Int32)
    case failed(String, status: Int32)

    var description: String {
        switch self {
        case .spawn(let command, let code): return "\(command): cannot start (\(String(cString: strerror(code))))"
        case .wait(let command, let code): return "\(command): cannot wait for its end (\(String(cString: strerror(code))))"
        case .failed(let command, let status): return "\(command) exited \(status)"
        }
    }
}

/// Runs `executable` with `arguments` to its end (standard output to /dev/null, standard error inherited) and times it.
///
/// `posix_spawn` and `wait4`: the wall time ends when the process is reaped, and the CPU time is that child's own
/// `rusage`. Foundation's `Process.waitUntilExit` on Linux polls its run loop every 50 ms, so a time taken around it
/// is rounded up to the next 50 ms after the start (0.151, 0.201, 0.252 s for a 0.13–0.2 s process): too coarse for a
/// comparison of processes that take 0.15 s and 1 s.
/// - Throws: `ProcessTimingError` when the process cannot start or exits with a status other than 0.
func timeProcess(_ executable: String, _ arguments: [String]) throws -> ProcessTime {
    let command = ([executable] + arguments).joined(separator: " ")
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid = pid_t()
    let start = DispatchTime.now().uptimeNanoseconds
    let code = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    guard code == 0 else { throw ProcessTimingError.spawn(command, code) }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 {
        guard errno == EINTR else { throw ProcessTimingError.wait(command, errno) }
    }
    let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    // WIFEXITED / WEXITSTATUS: the low 7 bits are 0 for a normal exit, the status is in the next 8.
    let exitStatus = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    guard exitStatus == 0 else { throw ProcessTimingError.failed(command, status: exitStatus) }
    let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    return ProcessTime(wallSeconds: wall, cpuSeconds: cpu)
}
