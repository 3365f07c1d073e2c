import FoundationEssentials
import JSON
import Policy
@testable import HTTP
import Transport

// The mapping from the `Decodable` event types to a request, written plainly: the reference the runtime's one-pass
// reader (`ProxyEvent`) is held to, fixture by fixture and mutation by mutation.

extension HTTPRequest {
    /// A REST API (payload 1.0) event as a request.
    init(reference event: APIGatewayV1Request) throws(HTTPError) {
        var headers: [(name: String, value: String)] = []
        if let multi = event.multiValueHeaders, !multi.isEmpty {
            for (name, values) in multi.sorted(by: { $0.key < $1.key }) { values.forEach { headers.append((name, $0)) } }
        } else {
            for (name, value) in (event.headers ?? [:]).sorted(by: { $0.key < $1.key }) { headers.append((name, value)) }
        }
        var query = (event.queryStringParameters ?? [:]).mapValues { [$0] }
        for (name, values) in event.multiValueQueryStringParameters ?? [:] { query[name] = values }
        self.init(method: event.httpMethod, path: event.path, headers: headers, query: query,
                  pathParameters: event.pathParameters ?? [:], body: try Self.body(event.body, base64: event.isBase64Encoded),
                  requestID: event.requestContext?.requestId ?? "", sourceIP: event.requestContext?.identity?.sourceIp,
                  caller: Caller(reference: event.requestContext?.authorizer)
                      ?? Caller(iam: event.requestContext?.identity))
        cookies = self.headers.filter { $0.name.equalsIgnoringASCIICase("cookie") }
            .flatMap { $0.value.split(separator: ";").map { $0.trimming(" ") } }
    }

    /// An HTTP API (payload 2.0) event as a request.
    init(reference event: APIGatewayV2Request) throws(HTTPError) {
        let headers = (event.headers ?? [:]).sorted(by: { $0.key < $1.key }).map { (name: $0.key, value: $0.value) }
        var query: [String: [String]] = [:]
        if let raw = event.rawQueryString, !raw.isEmpty {
            query = parseQuery(raw[...])
        } else {
            query = (event.queryStringParameters ?? [:]).mapValues { $0.split(separator: ",").map(String.init) }
        }
        self.init(method: event.requestContext.http.method, path: event.rawPath, headers: headers, query: query,
                  pathParameters: event.pathParameters ?? [:], cookies: event.cookies ?? [],
                  body: try Self.body(event.body, base64: event.isBase64Encoded), requestID: event.requestContext.requestId ?? "",
                  sourceIP: event.requestContext.http.sourceIp,
                  caller: Caller(reference: event.requestContext.authorizer))
    }

    /// The body bytes: base64-decoded only when API Gateway says it encoded them.
    private static func body(_ text: String?, base64: Bool?) throws(HTTPError) -> [UInt8] {
        guard let text else { return [] }
        guard base64 == true else { return Array(text.utf8) }
        guard let data = Data(base64Encoded: text) else { throw HTTPError(.badRequest, "body is not valid base64") }
        return Array(data)
    }
}


extension Caller {
    /// A REST event's caller, from the decoded authorizer block: `principalId` or Cognito's `claims` make one.
    init?(reference authorizer: [String: JSONValue]?) {
        guard let authorizer, authorizer["principalId"] != nil || authorizer["claims"] != nil else { return nil }
        self.init(referenceContext: authorizer["claims"]?.objectValue ?? authorizer, source: .rest)
    }

    /// An HTTP API event's caller: the JWT authorizer's claims, else a Lambda authorizer's context, else IAM.
    init?(reference authorizer: APIGatewayV2Request.RequestContext.Authorizer?) {
        if let jwt = authorizer?.jwt, let claims = jwt.claims {
            let text = claims.compactMapValues(\.text)
            let scopes = jwt.scopes.map(ScopeSet.init) ?? ScopeSet(spaceSeparated: text["scope"] ?? text["scp"] ?? "")
            self.init(subject: text["sub"] ?? "", scopes: scopes, claims: text, source: .jwt)
        } else if let context = authorizer?.lambda {
            self.init(referenceContext: context, source: .lambda)
        } else if let iam = authorizer?.iam {
            let text = iam.compactMapValues(\.text)
            guard let subject = text["userArn"] ?? text["callerId"], !subject.isEmpty else { return nil }
            self.init(subject: subject, scopes: ScopeSet([]), claims: text, source: .iam)
        } else {
            return nil
        }
    }

    private init(referenceContext context: [String: JSONValue], source: Source) {
        var text = context.compactMapValues(\.text)
        text["integrationLatency"] = nil
        self.init(subject: text["sub"] ?? text["principalId"] ?? "",
                  scopes: ScopeSet(spaceSeparated: text["scope"] ?? ""), claims: text, source: source)
    }
}
