import Foundation

/// One HTTP request as the server hands it to a handler: method, decoded path and query arguments.
///
/// Only what `litfass serve` needs: GET and HEAD requests without a body. Values are percent-decoded
/// (`%20` and `+` become spaces) by the server before they arrive here.
public struct HTTPRequest: Sendable, Hashable {
    /// `GET`, `HEAD`, …
    public var method: String
    /// The decoded path without the query string, e.g. `/api/query`.
    public var path: String
    /// The query arguments, decoded. A repeated name keeps its first value.
    public var query: [String: String]
    /// Bytes of request body announced or sent (the API takes none).
    public var bodyBytes: Int

    public init(method: String = "GET", path: String, query: [String: String] = [:], bodyBytes: Int = 0) {
        self.method = method
        self.path = path
        self.query = query
        self.bodyBytes = bodyBytes
    }
}

/// One HTTP response: status, content type, body and extra headers.
public struct HTTPResponse: Sendable, Hashable {
    /// The HTTP status code, e.g. 200, 404.
    public var status: Int
    /// The `Content-Type` header value.
    public var contentType: String
    public var body: Data
    /// Further headers (name, value), e.g. `Cache-Control`.
    public var headers: [String: String]

    public init(status: Int, contentType: String, body: Data, headers: [String: String] = [:]) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.headers = headers
    }

    /// A JSON response with the body as given (already serialised).
    public static func json(_ text: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "application/json; charset=utf-8", body: Data(text.utf8),
                     headers: ["Cache-Control": "no-store"])
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}
