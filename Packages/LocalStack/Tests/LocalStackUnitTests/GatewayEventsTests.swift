import FoundationEssentials
import GatehouseTesting
import HTTP
import JSON
@testable import LocalStack
import Testing

/// The events the local gateway writes are the event types the apps and tests use, written in one pass, in the shape
/// of AWS's own samples: no member AWS does not write, maps API Gateway leaves empty written `null` in payload 1.0.
@Suite struct GatewayEventsTests {
    static let request = HTTPRequest(method: "POST", path: "/lists/k3x9q", headers: [("Host", "127.0.0.1:3000"),
                                     ("X-Trace", "a"), ("x-trace", "b"), ("Cookie", "c=1")],
                                     query: ["tag": ["x", "y"]], pathParameters: ["id": "k3x9q"], cookies: ["c=1"],
                                     body: [0xFF, 0x00], requestID: "req-7", sourceIP: "10.0.0.1")

    /// The member names of `bytes` and of its `requestContext`.
    static func names(_ bytes: [UInt8]) throws -> (top: Set<String>, context: Set<String>) {
        let document = try JSONValue.object(parsing: bytes)
        return (Set(document.keys), Set(document["requestContext"]?.objectValue?.keys.map { $0 } ?? []))
    }

    @Test func restEventsAreAWSShapedAndReadBack() throws {
        let identity = APIGatewayV1Request.RequestContext.Identity(apiKey: "key-1", apiKeyId: "id-1")
        let event = GatewayEvents.rest(Self.request, resource: "/lists/{id}", sentPath: "/dev/lists/k3x9q",
                                       authorizer: ["principalId": "ada", "tenant": "acme"], identity: identity)
        let decoded = try JSONDecoder().decode(APIGatewayV1Request.self, from: Data(event))
        #expect(decoded.multiValueHeaders?["X-Trace"] == ["a", "b"] && decoded.headers?["X-Trace"] == "b")
        #expect(decoded.multiValueQueryStringParameters == ["tag": ["x", "y"]])
        #expect(decoded.queryStringParameters == ["tag": "y"])
        #expect(decoded.isBase64Encoded == true)
        #expect(decoded.body.flatMap { Data(base64Encoded: $0) } == Data([0xFF, 0x00]))
        let context = try #require(decoded.requestContext)
        #expect(context.path == "/dev/lists/k3x9q" && context.resourcePath == "/lists/{id}")
        #expect(context.identity?.apiKeyId == "id-1" && context.identity?.sourceIp == "10.0.0.1")
        let sample = try Self.names(Array(Repository.fixture("apigw-v1-rest-proxy-request.json")))
        let written = try Self.names(event)
        #expect(written.top.subtracting(sample.top) == ["isBase64Encoded"])
        #expect(written.context.isSubset(of: sample.context))
        // An empty map is `null`, as API Gateway writes it (the console's test sample).
        let bare = try JSONValue.object(parsing: GatewayEvents.rest(HTTPRequest(method: "GET", path: "/a"),
                                                                    resource: "/a", sentPath: "/a", authorizer: nil))
        let absent = ["queryStringParameters", "multiValueQueryStringParameters", "pathParameters", "stageVariables",
                      "body"]
        for name in absent {
            #expect(bare[name] == .null, "\(name)")
        }
    }

    @Test func httpAPIEventsAreAWSShapedAndReadBack() throws {
        let event = GatewayEvents.httpAPI(Self.request, routeKey: "POST /lists/{id}",
                                          authorizer: .init(jwt: .init(claims: ["sub": "ada"], scopes: ["read"])))
        let decoded = try JSONDecoder().decode(APIGatewayV2Request.self, from: Data(event))
        #expect(decoded.version == "2.0" && decoded.rawQueryString == "tag=x&tag=y")
        #expect(decoded.headers?["x-trace"] == "a,b" && decoded.headers?["cookie"] == nil && decoded.cookies == ["c=1"])
        #expect(decoded.requestContext.authorizer?.jwt?.scopes == ["read"])
        #expect(decoded.requestContext.http.sourceIp == "10.0.0.1" && decoded.requestContext.requestId == "req-7")
        let sample = try Self.names(Array(Repository.fixture("apigw-v2-http-request-jwt-authorizer.json")))
        let written = try Self.names(event)
        #expect(written.top.isSubset(of: sample.top) && written.context.isSubset(of: sample.context))
    }
}
