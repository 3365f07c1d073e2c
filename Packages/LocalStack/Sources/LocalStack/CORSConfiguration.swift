import HTTP
import JWT

/// An HTTP API's `CorsConfiguration` as API Gateway applies it: it answers preflight `OPTIONS` requests itself
/// (204, even without an `OPTIONS` route) and puts its own CORS headers on every answer to an allowed origin,
/// replacing any the function returned.
struct CORSConfiguration: Sendable, Equatable {
    var allowOrigins: [String]
    var allowMethods: [String]
    var allowHeaders: [String]
    var exposeHeaders: [String]
    var maxAge: Int?
    var allowCredentials: Bool

    struct Refused: Error { let reason: String }

    /// SAM's `CorsConfiguration`: `true` (every origin, method and header) or the object's members.
    init(_ value: JSONValue) throws(Refused) {
        if value == .bool(true) {
            (allowOrigins, allowMethods, allowHeaders, exposeHeaders, maxAge, allowCredentials) = (["*"], ["*"], ["*"], [], nil, false)
            return
        }
        guard case .object(let members) = value else { throw Refused(reason: "CorsConfiguration must be true or an object") }
        let known: Set<String> = ["AllowOrigins", "AllowMethods", "AllowHeaders", "ExposeHeaders", "MaxAge", "AllowCredentials"]
        if let other = members.keys.sorted().first(where: { !known.contains($0) }) {
            throw Refused(reason: "CorsConfiguration.\(other) cannot be emulated locally")
        }
        func list(_ name: String) -> [String] { members[name]?.arrayValue?.compactMap(\.text) ?? [] }
        (allowOrigins, allowMethods, allowHeaders, exposeHeaders) = (list("AllowOrigins"), list("AllowMethods"),
                                                                     list("AllowHeaders"), list("ExposeHeaders"))
        maxAge = members["MaxAge"]?.text.flatMap { Int($0) }
        allowCredentials = members["AllowCredentials"] == .bool(true)
    }

    /// Whether `request` is a CORS preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`).
    static func isPreflight(_ request: HTTPRequest) -> Bool {
        request.method == "OPTIONS" && request.header("origin") != nil && request.header("access-control-request-method") != nil
    }

    /// The answer to a preflight: 204, with the allowances when its origin is allowed.
    func preflight(_ request: HTTPRequest) -> HTTPResponse {
        var response = HTTPResponse(status: HTTPStatus(rawValue: 204), headers: [:], body: [])
        guard let origin = allowedOrigin(request) else { return response }
        response.headers["access-control-allow-origin"] = origin
        if !allowMethods.isEmpty { response.headers["access-control-allow-methods"] = allowMethods.joined(separator: ",") }
        if !allowHeaders.isEmpty { response.headers["access-control-allow-headers"] = allowHeaders.joined(separator: ",") }
        if let maxAge { response.headers["access-control-max-age"] = String(maxAge) }
        if allowCredentials { response.headers["access-control-allow-credentials"] = "true" }
        return response
    }

    /// `response` with this configuration's headers in place of any CORS headers it had, for an allowed origin.
    func decorate(_ response: HTTPResponse, for request: HTTPRequest) -> HTTPResponse {
        var response = response
        for name in response.headers.keys where name.lowercased().hasPrefix("access-control-") {
            response.headers[name] = nil
        }
        guard let origin = allowedOrigin(request) else { return response }
        response.headers["access-control-allow-origin"] = origin
        if !exposeHeaders.isEmpty { response.headers["access-control-expose-headers"] = exposeHeaders.joined(separator: ",") }
        if allowCredentials { response.headers["access-control-allow-credentials"] = "true" }
        return response
    }

    /// The `Access-Control-Allow-Origin` value for the request's origin: `*` when every origin is allowed without
    /// credentials, the origin itself when listed; nil when it is not allowed or there is none.
    private func allowedOrigin(_ request: HTTPRequest) -> String? {
        guard let origin = request.header("origin") else { return nil }
        if allowOrigins.contains("*") { return allowCredentials ? origin : "*" }
        return allowOrigins.contains(origin) ? origin : nil
    }
}
