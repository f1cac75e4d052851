import Foundation
internal import CGDAL

/// One-time set-up of GDAL: register the drivers and keep GDAL quiet on stderr — Litfass reports
/// GDAL's messages itself, through typed errors.
enum GDALRuntime {
    static let ready: Bool = {
        GDALAllRegister()
        CPLSetErrorHandler(CPLQuietErrorHandler)
        // Litfass never reaches out to the network at run time.
        CPLSetConfigOption("GDAL_HTTP_TIMEOUT", "1")
        CPLSetConfigOption("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", "none")
        return true
    }()

    static func ensure() { _ = ready }

    /// GDAL's release, e.g. "3.6.2".
    static var release: String { String(cString: GDALVersionInfo("RELEASE_NAME")) }

    /// GDAL's last error message on this thread, or a fallback.
    static func lastError(_ fallback: String) -> String {
        guard let message = CPLGetLastErrorMsg(), message.pointee != 0 else { return fallback }
        return String(cString: message)
    }

    static func resetError() { CPLErrorReset() }

    /// Whether GDAL recorded a failure since the last reset (drivers report some read errors only so).
    static var hasFailure: Bool { CPLGetLastErrorType().rawValue >= CE_Failure.rawValue }
}

/// A NULL-terminated C string list (`char **`) owned by Swift for the duration of a call.
func withCStringList<R>(_ strings: [String], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) throws -> R) rethrows -> R {
    if strings.isEmpty { return try body(nil) }
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for p in pointers { free(p) } }
    return try pointers.withUnsafeMutableBufferPointer { try body($0.baseAddress) }
}

/// The same list as `const char * const *`, for the GDAL calls that take it so.
func withConstCStringList<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) throws -> R) rethrows -> R {
    try withCStringList(strings) { list in
        try body(list.map { UnsafeRawPointer($0).assumingMemoryBound(to: UnsafePointer<CChar>?.self) })
    }
}

/// Collects the failures GDAL reports while `body` runs on this thread (some drivers report a
/// read error only through the error handler and then simply stop returning features).
func collectingGDALFailures<R>(_ body: () throws -> R) rethrows -> (result: R, failures: [String]) {
    let box = GDALFailureBox()
    CPLPushErrorHandlerEx({ level, _, message in
        guard level.rawValue >= CE_Failure.rawValue, let userData = CPLGetErrorHandlerUserData() else { return }
        let box = Unmanaged<GDALFailureBox>.fromOpaque(userData).takeUnretainedValue()
        box.messages.append(message.map { String(cString: $0) } ?? "unknown error")
    }, Unmanaged.passUnretained(box).toOpaque())
    defer { CPLPopErrorHandler() }
    let result = try body()
    return (result, box.messages)
}

/// The messages collected by `collectingGDALFailures`.
final class GDALFailureBox { var messages: [String] = [] }
