import JSON
import HTTP

/// An HTTP API's `CorsConfiguration` as API Gateway applies it: it answers preflight `OPTIONS` requests itself
/// (204, even without an `OPTIONS` route) and puts its own CORS headers on every answer to an allowed origin,
/// replacing any the function returned. A configuration API Gateway refuses to deploy is refused here too
/// (credentials with every origin), and an answer that echoes the origin says it varies by it (`Vary: Origin`), so
/// no cache hands one origin's answer to another.
struct CORSConfiguration: Sendable, Equatable {
    var allowOrigins: [String]
    var allowMethods: [String]
    var allowHeaders: [String]
    var exposeHeaders: [String]
    var maxAge: Int?
    var allowCredentials: Bool

    typealias Refused = TemplateProblem

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
        if allowCredentials && allowOrigins.contains("*") {
            throw Refused(reason: "CorsConfiguration sets AllowCredentials with AllowOrigins *, which API Gateway refuses to "
                + "deploy (allow-credentials is not supported if 'allow-origin' is *): list the origins")
        }
    }

    /// Whether `request` is a CORS preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`).
    static func isPreflight(_ request: HTTPRequest) -> Bool {
        request.method == "OPTIONS" && request.header("origin") != nil && request.header("access-control-request-method") != nil
    }

    /// The answer to a preflight: 204, with the allowances when its origin is allowed.
    func preflight(_ request: HTTPRequest) -> HTTPResponse {
        var response = HTTPResponse(status: .noContent, headers: [:], body: [])
        guard let origin = allowedOrigin(request) else { return response }
        Self.allow(origin, in: &response)
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
        Self.allow(origin, in: &response)
        if !exposeHeaders.isEmpty { response.headers["access-control-expose-headers"] = exposeHeaders.joined(separator: ",") }
        if allowCredentials { response.headers["access-control-allow-credentials"] = "true" }
        return response
    }

    /// The `Access-Control-Allow-Origin` value for the request's origin: `*` when every origin is allowed (never
    /// with credentials), the origin itself when listed; nil when it is not allowed or there is none.
    private func allowedOrigin(_ request: HTTPRequest) -> String? {
        guard let origin = request.header("origin") else { return nil }
        if allowOrigins.contains("*") { return "*" }
        return allowOrigins.contains(origin) ? origin : nil
    }

    /// Sets `Access-Control-Allow-Origin`; an echoed origin adds `Origin` to `Vary`.
    private static func allow(_ origin: String, in response: inout HTTPResponse) {
        response.headers["access-control-allow-origin"] = origin
        guard origin != "*" else { return }
        let vary = response.headers.first { $0.key.lowercased() == "vary" }
        response.headers[vary?.key ?? "vary"] = vary.map { $0.value + ", Origin" } ?? "Origin"
    }
}
