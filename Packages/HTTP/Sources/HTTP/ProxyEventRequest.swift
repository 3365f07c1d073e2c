import JSON
import FoundationEssentials
import Transport

extension HTTPRequest {
    /// The request an API Gateway event carries: a REST event's multi-value headers and query parameters win over
    /// the single-value ones; an HTTP API event's raw query string wins over its comma-joined parameters.
    init(_ event: ProxyEvent) throws {
        let body = try Self.body(event.body, base64: event.isBase64Encoded)
        var query: [String: [String]] = [:]
        if event.isVersion2 {
            if let raw = event.rawQueryString, !raw.isEmpty {
                query = parseQuery(raw[...])
            } else {
                for (name, value) in event.queryStringParameters { query[name] = value.split(ascii: ",").map(String.init) }
            }
            self.init(method: event.method ?? "", path: event.rawPath ?? "", headers: event.headers, query: query,
                      pathParameters: event.pathParameters, cookies: event.cookies, body: body,
                      requestID: event.requestID ?? "", sourceIP: event.sourceIP,
                      caller: Caller(httpAPI: event.authorizer))
            if caller?.source == .jwt, Caller.isKeyBound(authorization: header("authorization")) { caller = nil }
            return
        }
        let headers = event.hasMultiValueHeaders ? event.multiValueHeaders : event.headers
        for (name, value) in event.queryStringParameters { query[name] = [value] }
        for (name, values) in event.multiValueQueryStringParameters { query[name] = values }
        self.init(method: event.httpMethod ?? "", path: event.path ?? "", headers: headers, query: query,
                  pathParameters: event.pathParameters, body: body, requestID: event.requestID ?? "",
                  sourceIP: event.identity.sourceIp,
                  caller: Caller(rest: event.authorizer) ?? Caller(iam: event.identity))
        cookies = Self.cookies(in: headers)
    }

    /// The body bytes: base64-decoded only when API Gateway says it encoded them.
    private static func body(_ text: String?, base64: Bool) throws(HTTPError) -> [UInt8] {
        guard let text else { return [] }
        guard base64 else { return Array(text.utf8) }
        guard let data = Data(base64Encoded: text) else { throw HTTPError(.badRequest, "body is not valid base64") }
        return Array(data)
    }
}
