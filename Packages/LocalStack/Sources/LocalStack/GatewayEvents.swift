import JSON
import FoundationEssentials
@_spi(Gatehouse) import HTTP
import JWT
import Policy

/// The events API Gateway builds from an HTTP request: payload 2.0 for HTTP APIs, 1.0 for REST APIs.
enum GatewayEvents {
    static let account = "000000000000"
    static let apiID = "local"

    static func methodARN(_ method: String, _ path: String, stage: String) -> String {
        "arn:aws:execute-api:us-east-1:\(account):\(apiID)/\(stage)/\(method)\(path)"
    }

    /// The body as the event carries it: text, or base64 when it is not UTF-8; nil when empty.
    private static func body(_ request: HTTPRequest) -> (text: String?, base64: Bool) {
        guard !request.body.isEmpty else { return (nil, false) }
        if let text = String(validating: request.body, as: UTF8.self) { return (text, false) }
        return (Data(request.body).base64EncodedString(), true)
    }

    private static func rawQuery(_ request: HTTPRequest) -> String {
        request.query.sorted { $0.key < $1.key }.flatMap { name, values in values.map { "\(name)=\($0)" } }.joined(separator: "&")
    }

    /// The request's headers grouped case-insensitively in first-seen order: each name as first spelt, every value.
    static func groupedHeaders(_ request: HTTPRequest) -> [(name: String, values: [String])] {
        var groups: [(name: String, values: [String])] = []
        var index: [String: Int] = [:]
        for (name, value) in request.headers {
            if let at = index[name.lowercased()] {
                groups[at].values.append(value)
            } else {
                index[name.lowercased()] = groups.count
                groups.append((name, [value]))
            }
        }
        return groups
    }

    /// The headers a function or authorizer is given: the request's, with the gateway's `X-Forwarded-Proto` and
    /// `X-Forwarded-Port` (a client's own are replaced: a handler rebuilding the URL it was called at, as a DPoP check
    /// does, must not be told another scheme) and the caller's address appended to `X-Forwarded-For`.
    static func eventHeaders(_ request: HTTPRequest) -> [(name: String, values: [String])] {
        let forwarded: Set<String> = ["x-forwarded-proto", "x-forwarded-port", "x-forwarded-for"]
        var headers = groupedHeaders(request).filter { !forwarded.contains($0.name.lowercased()) }
        let port = request.header("host")?.split(separator: ":").last.flatMap { Int($0) } ?? 80
        let chain = request.header("x-forwarded-for").map { [$0] } ?? []
        headers.append(("X-Forwarded-For", [(chain + [request.sourceIP ?? "127.0.0.1"]).joined(separator: ", ")]))
        headers.append(("X-Forwarded-Port", [String(port)]))
        headers.append(("X-Forwarded-Proto", ["http"]))
        return headers
    }

    /// The one value header `name` has in the event of `api`: payload 2.0 joins repeats with commas, 1.0 keeps the
    /// last. Identity sources, the authorizer cache key and the authorizer's event all use this value, so a request
    /// with two `Authorization` headers never shows one to the cache and another to the authorizer.
    static func headerValue(_ request: HTTPRequest, _ name: String, api: LocalTemplate.APIKind) -> String? {
        guard let values = groupedHeaders(request).first(where: { $0.name.lowercased() == name.lowercased() })?.values
        else { return nil }
        return api == .http ? values.joined(separator: ",") : values.last
    }

    /// The value of a Lambda authorizer's identity source for `request` on `route`, as the event carries it.
    static func value(of source: LocalTemplate.IdentitySource, _ request: HTTPRequest, route: LocalTemplate.Route) -> String? {
        let rest = route.api == .rest
        switch source {
        case .header(let name): return headerValue(request, name, api: route.api)
        case .query(let name): return request.query[name].flatMap { rest ? $0.last : $0.joined(separator: ",") }
        case .context("path"): return rest ? "/\(Gateway.restStage)" + request.path : request.path
        case .context("resourcePath"): return route.path
        case .context("httpMethod"): return request.method
        case .context("identity.sourceIp"): return request.sourceIP ?? "127.0.0.1"
        case .context("stage"): return rest ? Gateway.restStage : "$default"
        case .context: return nil
        case .stageVariable(let name): return route.stageVariables[name]
        }
    }

    /// Payload 2.0: lower-case headers with repeats comma-joined, `cookies` apart, the authorizer's block.
    static func httpAPI(_ request: HTTPRequest, routeKey: String,
                        authorizer: APIGatewayV2Request.RequestContext.Authorizer?,
                        stageVariables: [String: String] = [:]) -> [UInt8] {
        var headers: [String: String] = [:]
        for (name, values) in eventHeaders(request) where name.lowercased() != "cookie" {
            headers[name.lowercased()] = values.joined(separator: ",")
        }
        let (body, base64) = body(request)
        let context = APIGatewayV2Request.RequestContext(
            accountId: account, apiId: apiID, domainName: "127.0.0.1", requestId: request.requestID, routeKey: routeKey,
            stage: "$default", timeEpoch: (currentTime() * 1000).rounded(),
            http: .init(method: request.method, path: request.path, protocol: "HTTP/1.1",
                        sourceIp: request.sourceIP ?? "127.0.0.1", userAgent: request.header("user-agent") ?? ""),
            authorizer: authorizer)
        return encode(APIGatewayV2Request(
            routeKey: routeKey, rawPath: request.path, rawQueryString: rawQuery(request),
            cookies: request.cookies.isEmpty ? nil : request.cookies, headers: headers,
            queryStringParameters: request.query.isEmpty ? nil : request.query.mapValues { $0.joined(separator: ",") },
            pathParameters: request.pathParameters.isEmpty ? nil : request.pathParameters,
            stageVariables: stageVariables.isEmpty ? nil : stageVariables, body: body, isBase64Encoded: base64,
            requestContext: context))
    }

    /// Payload 1.0: `headers` with the last value and `multiValueHeaders` with all, the authorizer's context;
    /// `requestContext.path` is `sentPath`, the path as the client sent it (on AWS's own host always under the stage,
    /// here only when the client used the prefix). `identity` is the IAM caller's and API key's facts.
    static func rest(_ request: HTTPRequest, resource: String, sentPath: String, authorizer: [String: JSONValue]?,
                     identity: APIGatewayV1Request.RequestContext.Identity = .init(),
                     stageVariables: [String: String] = [:]) -> [UInt8] {
        var single: [String: String] = [:]
        var multi: [String: [String]] = [:]
        for (name, values) in eventHeaders(request) {
            single[name] = values.last
            multi[name] = values
        }
        var identity = identity
        identity.sourceIp = request.sourceIP ?? "127.0.0.1"
        identity.userAgent = request.header("user-agent") ?? ""
        let (body, base64) = body(request)
        func present<Map: Collection>(_ map: Map) -> Map? { map.isEmpty ? nil : map }
        return encode(APIGatewayV1Request(
            resource: resource, path: request.path, httpMethod: request.method, headers: present(single),
            multiValueHeaders: present(multi), queryStringParameters: present(request.query.compactMapValues(\.last)),
            multiValueQueryStringParameters: present(request.query), pathParameters: present(request.pathParameters),
            stageVariables: present(stageVariables), body: body, isBase64Encoded: base64,
            requestContext: .init(accountId: account, apiId: apiID, stage: Gateway.restStage,
                                  requestId: request.requestID, resourcePath: resource, httpMethod: request.method,
                                  path: sentPath,
                                  requestTimeEpoch: (currentTime() * 1000).rounded(), identity: identity,
                                  authorizer: authorizer)))
    }

    /// The REQUEST authorizer's event: payload 2.0 (with `identitySource`) for HTTP APIs, the REST form otherwise.
    static func requestAuthorizerEvent(_ request: HTTPRequest, route: LocalTemplate.Route, sentPath: String,
                                       identityValues: [String], methodARN: String) -> [UInt8] {
        let http = route.api == .http
        let headers = eventHeaders(request)
        let event = RequestAuthorizerEvent(
            version: http ? "2.0" : nil, methodArn: http ? nil : methodARN, routeArn: http ? methodARN : nil,
            identitySource: http ? .list(identityValues) : nil,
            resource: route.path, path: request.path, httpMethod: request.method,
            headers: Dictionary(uniqueKeysWithValues: headers.map {
                (http ? $0.name.lowercased() : $0.name, (http ? $0.values.joined(separator: ",") : $0.values.last) ?? "")
            }),
            queryStringParameters: request.query.compactMapValues(\.last), pathParameters: request.pathParameters,
            stageVariables: route.stageVariables, requestContext: .init(
                accountId: account, apiId: apiID, stage: http ? "$default" : Gateway.restStage,
                requestId: request.requestID, path: http ? nil : sentPath,
                identity: http ? nil : .init(sourceIp: request.sourceIP),
                http: http ? .init(method: request.method, path: request.path, sourceIp: request.sourceIP) : nil),
            multiValueHeaders: http ? nil : Dictionary(uniqueKeysWithValues: headers.map { ($0.name, $0.values) }))
        return encode(event)
    }

    /// An event's bytes, written in one pass (`CompactJSONEncoder`: members sorted, nothing in between).
    static func encode(_ event: some Encodable) -> [UInt8] {
        (try? CompactJSONEncoder().encode(event)) ?? []  // events hold only strings, numbers and JSON values
    }

    /// A function's proxy response as an HTTP response; nil when malformed (the gateway then answers 502).
    static func response(_ bytes: [UInt8]) -> HTTPResponse? {
        // Each member of the type API Gateway requires (absent or `null` reads as empty), else 502.
        guard let document = try? JSONValue.object(parsing: bytes), let code = document["statusCode"]?.numberValue,
              code == code.rounded(), (100...599).contains(code) else { return nil }
        let members = EventMembers(document)
        guard var headers = try? members.stringMap("headers") ?? [:],
              let multiValueHeaders = try? members.stringListMap("multiValueHeaders") ?? [:],
              var cookies = try? members.strings("cookies") ?? [], let text = try? members.string("body") ?? "",
              let isBase64Encoded = try? members.bool("isBase64Encoded") ?? false else { return nil }
        for (name, values) in multiValueHeaders {
            if name.lowercased() == "set-cookie" { cookies += values } else { headers[name] = values.joined(separator: ",") }
        }
        if let cookie = headers.removeValue(forKey: "set-cookie"), !cookies.contains(cookie) { cookies.append(cookie) }
        var body: [UInt8] = Array(text.utf8)
        if isBase64Encoded {
            guard let decoded = Data(base64Encoded: text) else { return nil }
            body = Array(decoded)
        }
        // Each cookie once, in the order the function gave them (a Set's order changes from run to run).
        var seen: Set<String> = []
        let unique = cookies.filter { seen.insert($0).inserted }
        return HTTPResponse(status: HTTPStatus(rawValue: Int(code)), headers: headers, cookies: unique, body: body)
    }
}
