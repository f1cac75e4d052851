import Foundation
internal import CMicroHTTPD
#if canImport(Glibc)
import Glibc
#endif

/// An HTTP/1.1 server on GNU libmicrohttpd, answering every request with one handler.
///
/// Wraps `MHD_start_daemon_va` in thread-pool mode (`MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL`,
/// `MHD_OPTION_THREAD_POOL_SIZE`): as many polling threads as asked (by default one per core), each serving its
/// connections; the handler is called from any of them at once and must be thread-safe.
/// The listening socket is made here (bound to `bindAddress:port`, port 0 picks a free one) and handed to the
/// library with `MHD_OPTION_LISTEN_SOCKET`, so `port` is known at once. One owner: `stop()` or `deinit` stops
/// the daemon (`MHD_stop_daemon`, which closes the socket).
///
/// Limits: requests with a body are refused (413) before the handler; request line and headers together
/// may take `Limits.connectionMemoryBytes` (larger requests get the library's 413/414/431); a connection idle
/// for `Limits.idleTimeoutSeconds` is closed; at most `Limits.maxConnections` open at once.
public final class HTTPServer: @unchecked Sendable {
    /// Limits on requests and connections.
    public struct Limits: Sendable {
        /// Memory per connection for the request line and headers [bytes] (`MHD_OPTION_CONNECTION_MEMORY_LIMIT`).
        public var connectionMemoryBytes = 32 * 1024
        /// A connection idle this long is closed [s] (`MHD_OPTION_CONNECTION_TIMEOUT`). The library counts a request
        /// waiting for its pool thread as idle too, so this also bounds how long a request may queue under overload.
        public var idleTimeoutSeconds = 120
        /// Open connections at most (`MHD_OPTION_CONNECTION_LIMIT`).
        public var maxConnections = 1_000
        public init() {}
    }

    /// The port the server listens on (the one picked when 0 was asked).
    public let port: Int
    /// The IPv4 address it is bound to.
    public let bindAddress: String
    /// Polling threads serving requests.
    public let threads: Int
    private let context: HandlerContext
    private var daemon: OpaquePointer?
    private let lock = NSLock()

    /// Starts serving.
    /// - Parameters:
    ///   - bindAddress: dotted IPv4 address, e.g. `127.0.0.1` (loopback only) or `0.0.0.0` (every interface).
    ///   - port: TCP port; 0 picks a free one.
    ///   - threads: polling threads; nil means one per active core.
    ///   - handler: answers one request; called concurrently from the pool's threads.
    /// - Throws: `ServeError.cannotListen` when the address is not IPv4 or the port cannot be bound.
    public init(bindAddress: String = "127.0.0.1", port: Int = 8080, threads: Int? = nil, limits: Limits = Limits(),
                handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse) throws {
        guard (0...65_535).contains(port) else { throw ServeError.cannotListen(address: bindAddress, port: port, reason: "port must be 0–65535") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, bindAddress, &address.sin_addr) == 1 else {
            throw ServeError.cannotListen(address: bindAddress, port: port, reason: "not an IPv4 address")
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServeError.cannotListen(address: bindAddress, port: port, reason: String(cString: strerror(errno))) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 1_024) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw ServeError.cannotListen(address: bindAddress, port: port, reason: reason)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: actual.sin_port))
        self.bindAddress = bindAddress
        self.threads = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
        context = HandlerContext(handler: handler)

        let flags = MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_EPOLL.rawValue
        // The variadic option list of MHD_start_daemon: (enum MHD_OPTION, value) pairs, ended by MHD_OPTION_END.
        let options: [CVarArg] = [
            MHDOption.listenSocket, fd,
            MHDOption.threadPoolSize, UInt32(self.threads),
            MHDOption.connectionTimeout, UInt32(limits.idleTimeoutSeconds),
            MHDOption.connectionMemoryLimit, limits.connectionMemoryBytes,
            MHDOption.connectionLimit, UInt32(limits.maxConnections),
            MHDOption.end,
        ]
        let cls = Unmanaged.passUnretained(context).toOpaque()
        daemon = withVaList(options) { list in
            MHD_start_daemon_va(flags, 0, nil, nil, accessHandler, cls, list)
        }
        guard daemon != nil else {
            close(fd)
            throw ServeError.cannotListen(address: bindAddress, port: self.port, reason: "libmicrohttpd could not start")
        }
    }

    /// Stops serving: waits for the pool's threads and closes the socket. Idempotent.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        if let daemon { MHD_stop_daemon(daemon) }
        daemon = nil
    }

    deinit { stop() }
}

/// Holds the handler for the C callback (passed as its `cls`, owned by the `HTTPServer`).
private final class HandlerContext: Sendable {
    let handler: @Sendable (HTTPRequest) -> HTTPResponse
    init(handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse) { self.handler = handler }
}

/// Values of `enum MHD_OPTION` (microhttpd.h 0.9.75), passed as C `int` in the variadic list.
private enum MHDOption {
    static let end: Int32 = 0                    // MHD_OPTION_END
    static let connectionMemoryLimit: Int32 = 1  // MHD_OPTION_CONNECTION_MEMORY_LIMIT, size_t
    static let connectionLimit: Int32 = 2        // MHD_OPTION_CONNECTION_LIMIT, unsigned int
    static let connectionTimeout: Int32 = 3      // MHD_OPTION_CONNECTION_TIMEOUT, unsigned int [s]
    static let listenSocket: Int32 = 12          // MHD_OPTION_LISTEN_SOCKET, MHD_socket (int)
    static let threadPoolSize: Int32 = 14        // MHD_OPTION_THREAD_POOL_SIZE, unsigned int
}

// libmicrohttpd's closed enums (`enum_extensibility(closed)`) come in as Swift enums; their C values (microhttpd.h).
private let mhdYes = MHD_Result(rawValue: 1)!
private let mhdNo = MHD_Result(rawValue: 0)!
private let mustCopy = MHD_ResponseMemoryMode(rawValue: 2)!  // MHD_RESPMEM_MUST_COPY
private let headerKind = MHD_ValueKind(rawValue: 1)!
private let getArgumentKind = MHD_ValueKind(rawValue: 8)!

/// Collects the query arguments of a connection (`MHD_get_connection_values` iterator).
private final class ArgumentBox {
    var values: [String: String] = [:]
}

private let argumentIterator: MHD_KeyValueIterator = { cls, _, key, value in
    guard let cls, let key else { return mhdYes }
    let box = Unmanaged<ArgumentBox>.fromOpaque(cls).takeUnretainedValue()
    let name = String(cString: key)
    if box.values[name] == nil { box.values[name] = value.map { String(cString: $0) } ?? "" }
    return mhdYes
}

/// `MHD_AccessHandlerCallback`: builds the request, calls the handler, queues its response.
/// Called once per request for GET/HEAD (answered on the first call); a request announcing a body is refused.
private let accessHandler: MHD_AccessHandlerCallback = { cls, connection, url, method, _, _, uploadSize, _ in
    guard let cls, let connection else { return mhdNo }
    let context = Unmanaged<HandlerContext>.fromOpaque(cls).takeUnretainedValue()
    let methodText = method.map { String(cString: $0) } ?? ""
    let path = url.map { String(cString: $0) } ?? "/"
    var bodyBytes = uploadSize?.pointee ?? 0
    if let length = MHD_lookup_connection_value(connection, headerKind, "Content-Length").map({ String(cString: $0) }) {
        bodyBytes = max(bodyBytes, Int(length) ?? 1)
    }
    if MHD_lookup_connection_value(connection, headerKind, "Transfer-Encoding") != nil { bodyBytes = max(bodyBytes, 1) }
    let box = ArgumentBox()
    let boxPointer = Unmanaged.passUnretained(box).toOpaque()
    _ = MHD_get_connection_values(connection, getArgumentKind, argumentIterator, boxPointer)
    let response = withExtendedLifetime(box) {
        context.handler(HTTPRequest(method: methodText, path: path, query: box.values, bodyBytes: bodyBytes))
    }
    let mhdResponse = response.body.withUnsafeBytes { raw -> OpaquePointer? in
        MHD_create_response_from_buffer(raw.count, UnsafeMutableRawPointer(mutating: raw.baseAddress), mustCopy)
    }
    guard let mhdResponse else { return mhdNo }
    defer { MHD_destroy_response(mhdResponse) }
    _ = MHD_add_response_header(mhdResponse, "Content-Type", response.contentType)
    _ = MHD_add_response_header(mhdResponse, "X-Content-Type-Options", "nosniff")
    for (name, value) in response.headers.sorted(by: { $0.key < $1.key }) { _ = MHD_add_response_header(mhdResponse, name, value) }
    return MHD_queue_response(connection, UInt32(response.status), mhdResponse)
}
