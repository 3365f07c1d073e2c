import FoundationEssentials
import Transport

/// A request as handlers see it, whichever payload version carried it: headers looked up case-insensitively,
/// repeated values kept, the body already base64-decoded when API Gateway encoded it.
public struct HTTPRequest: Sendable {
    /// `GET`, `POST`, …
    public var method: String
    /// The path, without stage prefix or query.
    public var path: String
    /// Header fields (names as received).
    public var headers: [(name: String, value: String)]
    /// Query parameters with every value.
    public var query: [String: [String]]
    /// Path parameters; the router fills them from the route template.
    public var pathParameters: [String: String]
    /// Cookies as `name=value` strings.
    public var cookies: [String]
    /// The body bytes.
    public var body: [UInt8]
    /// API Gateway's request id (`requestContext.requestId`): part of the event, so a replayed event repeats it.
    public var requestID: String
    /// The Lambda invocation's own request id (`context.awsRequestId`): new for every invocation, even of a replayed
    /// event; the local server sets it to `requestID`. Empty when the request did not come through a runtime.
    public var invocationID = ""
    /// The caller's IP.
    public var sourceIP: String?
    /// Who the authorizer vouched for, if anyone.
    public var caller: Caller?
    /// The route the application found for it, so that it is matched once on its way through.
    var matched: Router.Match?

    /// A request.
    public init(method: String, path: String, headers: [(name: String, value: String)] = [], query: [String: [String]] = [:],
                pathParameters: [String: String] = [:], cookies: [String] = [], body: [UInt8] = [], requestID: String = "",
                sourceIP: String? = nil, caller: Caller? = nil) {
        self.method = method.uppercased()
        self.path = path
        self.headers = headers
        self.query = query
        self.pathParameters = pathParameters
        self.cookies = cookies
        self.body = body
        self.requestID = requestID
        self.sourceIP = sourceIP
        self.caller = caller
    }

    /// The first value of header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.equalsIgnoringASCIICase(name) }?.value
    }

    /// The body's fields when it is `application/x-www-form-urlencoded` (every value kept, percent-decoded).
    public func formFields() -> [String: [String]] {
        parseQuery(Substring(String(decoding: body, as: UTF8.self)))
    }

    /// Decodes the JSON body; a missing, malformed or mistyped body is a 400 whose message says what was wrong.
    public func decode<T: Decodable>(_ type: T.Type) throws(HTTPError) -> T {
        guard !body.isEmpty else { throw HTTPError(.badRequest, "request body must be JSON") }
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch let error as DecodingError {
            throw HTTPError(.badRequest, "invalid JSON body: \(describe(error))")
        } catch {
            throw HTTPError(.badRequest, "invalid JSON body")
        }
    }
}

/// One line for a decoding failure: what and where, never the input itself.
private func describe(_ error: DecodingError) -> String {
    func at(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map(\.stringValue).joined(separator: ".")
        return path.isEmpty ? "" : " at \(path)"
    }
    switch error {
    case .keyNotFound(let key, _): return "missing field \(key.stringValue)"
    case .typeMismatch(let type, let context): return "expected \(type)\(at(context))"
    case .valueNotFound(let type, let context): return "null where \(type) was expected\(at(context))"
    case .dataCorrupted(let context): return context.codingPath.isEmpty ? "not valid JSON" : "bad value\(at(context))"
    @unknown default: return "undecodable"
    }
}

extension HTTPRequest {
    /// The value of the cookie `name` (from `cookies`, which every way of making a request fills: an HTTP API
    /// event's list, a REST event's or a direct request's `Cookie` fields).
    public func cookie(_ name: String) -> String? {
        for pair in cookies {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == name { return String(parts[1]) }
        }
        return nil
    }

    /// The `name=value` cookies of every `Cookie` header field (REST events and direct HTTP carry them there; HTTP API
    /// events list them apart).
    static func cookies(in headers: [(name: String, value: String)]) -> [String] {
        headers.filter { $0.name.equalsIgnoringASCIICase("cookie") }.flatMap { $0.value.split(ascii: ";").map { $0.trimming(" ") } }
    }
}

/// The parameters of a raw query string (`a=1&a=2&b`), every value kept, percent-decoded.
func parseQuery(_ raw: Substring) -> [String: [String]] {
    var query: [String: [String]] = [:]
    for pair in raw.split(ascii: "&") {
        let parts = pair.split(ascii: "=", maxSplits: 1, omittingEmptySubsequences: false)
        query[percentDecoded(parts[0]), default: []].append(parts.count > 1 ? percentDecoded(parts[1]) : "")
    }
    return query
}

/// `%XX` and `+` decoding of one query component; invalid escapes are kept as written.
private func percentDecoded(_ text: Substring) -> String {
    var bytes: [UInt8] = []
    var iterator = Array(text.utf8)[...]
    while let byte = iterator.popFirst() {
        if byte == UInt8(ascii: "+") {
            bytes.append(UInt8(ascii: " "))
        } else if byte == UInt8(ascii: "%"), iterator.count >= 2,
                  let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16) {
            bytes.append(value)
            iterator = iterator.dropFirst(2)
        } else {
            bytes.append(byte)
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}
