/// An HTTP status code.
public struct HTTPStatus: RawRepresentable, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let ok = HTTPStatus(rawValue: 200)
    public static let created = HTTPStatus(rawValue: 201)
    public static let noContent = HTTPStatus(rawValue: 204)
    public static let found = HTTPStatus(rawValue: 302)
    public static let badRequest = HTTPStatus(rawValue: 400)
    public static let unauthorized = HTTPStatus(rawValue: 401)
    public static let forbidden = HTTPStatus(rawValue: 403)
    public static let notFound = HTTPStatus(rawValue: 404)
    public static let methodNotAllowed = HTTPStatus(rawValue: 405)
    public static let conflict = HTTPStatus(rawValue: 409)
    public static let payloadTooLarge = HTTPStatus(rawValue: 413)
    public static let unsupportedMediaType = HTTPStatus(rawValue: 415)
    public static let tooManyRequests = HTTPStatus(rawValue: 429)
    public static let internalServerError = HTTPStatus(rawValue: 500)
    public static let badGateway = HTTPStatus(rawValue: 502)
    public static let serviceUnavailable = HTTPStatus(rawValue: 503)
}

/// An error that says how it reaches the client: thrown from a handler as it is, it is answered with `status` and
/// `{"message": message}`. Conform your own error types (a validation error → 400) instead of catching and
/// re-throwing; any other error is a 500 without detail.
public protocol HTTPRenderableError: Error {
    /// The status to answer with.
    var status: HTTPStatus { get }
    /// One line for the client; never a stack trace, path or secret.
    var message: String { get }
}

/// An error a handler or middleware throws to answer with `status` and `{"message": message}`.
public struct HTTPError: HTTPRenderableError, Sendable, Equatable, CustomStringConvertible {
    /// The status.
    public let status: HTTPStatus
    /// One line for the client; never a stack trace, path or secret.
    public let message: String
    /// Extra response headers (such as `Allow` on 405, `WWW-Authenticate` on 401).
    public var headers: [String: String]

    /// An error answering `status` with `message`.
    public init(_ status: HTTPStatus, _ message: String, headers: [String: String] = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status.rawValue) \(message)" }

    /// 401: no authenticated caller.
    public static let unauthorized = HTTPError(.unauthorized, "Unauthorized")
    /// 404: no route.
    public static let notFound = HTTPError(.notFound, "Not Found")
}
