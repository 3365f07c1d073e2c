import JSON
import FoundationEssentials
import GatehouseTesting
public import HTTP
import Transport

/// API Gateway events for handler tests, built from the repository's real samples (`Tests/Fixtures/events`) and
/// re-aimed at a route, with what an authorizer would have put in them. No sockets: run them with `Application.call`.
public enum TestEvents {
    /// The REST API (payload 1.0) sample aimed at `method path` (`resource` and `pathParameters` as API Gateway fills
    /// them), with a Lambda authorizer's `context` (nil: no authorizer ran), or signed by the IAM identity `iamCaller`
    /// (an ARN; `AWS_IAM` routes), from `sourceIP` when given.
    public static func rest(_ method: String, _ path: String, resource: String? = nil,
                            pathParameters: [String: String]? = nil, body: String? = nil,
                            context: [String: String]? = nil, iamCaller: String? = nil, sourceIP: String? = nil,
                            fixture: String = "apigw-v1-rest-proxy-request.json") throws -> [UInt8] {
        var event = try Repository.fixture(APIGatewayV1Request.self, fixture)
        event.httpMethod = method
        event.path = path
        event.resource = resource ?? path
        event.pathParameters = pathParameters
        event.body = body
        if event.requestContext != nil { event.requestContext?.authorizer = context?.mapValues { .string($0) } }
        if let sourceIP { event.requestContext?.identity?.sourceIp = sourceIP }
        // The sample fills every identity member; API Gateway sets the IAM ones only for an `AWS_IAM` method.
        event.requestContext?.identity?.userArn = iamCaller
        event.requestContext?.identity?.accessKey = iamCaller.map { _ in "AKIAEXAMPLE" }
        return try eventBytes(event)
    }

    /// The HTTP API (payload 2.0) JWT-authorizer sample aimed at `method path`, with the authorizer's `claims` and
    /// `scopes` (nil claims: no authorizer ran); `base64` sends the body encoded as API Gateway does for binary.
    public static func httpAPI(_ method: String, _ path: String, body: String? = nil, base64: Bool = false,
                               claims: [String: String]? = nil, scopes: [String] = [],
                               requestID: String = "req-1") throws -> [UInt8] {
        var event = try Repository.fixture(APIGatewayV2Request.self, "apigw-v2-http-request-jwt-authorizer.json")
        event.rawPath = path
        event.rawQueryString = ""
        event.requestContext.http.method = method
        event.requestContext.requestId = requestID
        event.body = base64 ? body.map { Data($0.utf8).base64EncodedString() } : body
        event.isBase64Encoded = base64
        event.requestContext.authorizer = claims.map { .init(jwt: .init(claims: $0.mapValues { .string($0) }, scopes: scopes)) }
        return try eventBytes(event)
    }

    /// `event` written as the local gateway writes its events (`CompactJSONEncoder`): slashes unescaped, as in AWS's
    /// own events (Foundation's `JSONEncoder` writes `\/`, which would send every path and URL claim down the
    /// reader's escape path).
    private static func eventBytes(_ event: some Encodable) throws -> [UInt8] { try CompactJSONEncoder().encode(event) }
}

extension Application {
    /// Runs `event` as one Lambda invocation with request id `invocation`; the proxy response's status, body and
    /// headers (names lowercased).
    public func call(_ event: [UInt8], invocation: String? = nil) async throws
        -> (status: Int, body: String, headers: [String: String]) {
        let invocation = invocation ?? newRequestID()
        struct Response: Decodable { var statusCode: Int; var body: String; var headers: [String: String]? }
        let response = try JSONDecoder().decode(Response.self, from: Data(try await handle(event: event, invocationID: invocation)))
        return (response.statusCode, response.body,
                Dictionary((response.headers ?? [:]).map { ($0.key.lowercased(), $0.value) }) { first, _ in first })
    }
}
