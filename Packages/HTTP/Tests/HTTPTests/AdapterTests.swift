import FoundationEssentials
import Runtime
import GatehouseTesting
import JSON
@_spi(Gatehouse) import JWT
import Testing
@testable import HTTP
import Policy

@Suite struct AdapterTests {
    let app: Application = {
        var router = Router()
        router.post("/hello/world", requires: .authenticated) { request, context in
            var response = try HTTPResponse.ok(["who": context.caller.subject])
            response.cookies = ["a=1", "b=2"]
            return response
        }
        router.get("/my/path", requires: .scope("scope1")) { _, _ in .message(.ok, "jwt ok") }
        router.get("/bytes", requires: .public) { _, _ in HTTPResponse(status: .ok, body: [0xFF, 0x00]) }
        return Application(router: router)
    }()

    func object(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerializationLite.object(bytes))
    }

    @Test func restEventGetsRestResponse() async throws {
        let output = try await app.handle(event: Array(try Repository.fixture("apigw-v1-rest-proxy-request.json")))
        let response = try object(output)
        #expect(response["statusCode"] as? Int == 200)
        #expect(response["body"] as? String == #"{"who":"admin"}"#)
        #expect((response["multiValueHeaders"] as? [String: [String]])?["set-cookie"] == ["a=1", "b=2"])
        #expect(response["cookies"] == nil)
    }

    @Test func httpEventGetsHTTPResponse() async throws {
        let output = try await app.handle(event: Array(try Repository.fixture("apigw-v2-http-request-jwt-authorizer.json")))
        let response = try object(output)
        #expect(response["statusCode"] as? Int == 200)
        #expect(response["body"] as? String == #"{"message":"jwt ok"}"#)
        let anonymous = try object(try await app.handle(event: Array(try Repository.fixture("apigw-v2-http-request-no-authorizer.json"))))
        #expect(anonymous["statusCode"] as? Int == 404)
    }

    /// AWS's JWT-authorizer event whose bearer token is bound to a key (`cnf` in its payload): no caller, since the
    /// JWT authorizer let it through without a proof; the same event with an unbound token has its caller.
    /// The header is found whatever the case of its name.
    @Test(arguments: [(#"{"sub":"ada"}"#, "authorization", 200), (#"{"sub":"ada","cnf":{"jkt":"0ZcOCORZNYy"}}"#, "authorization", 401),
                      (#"{"sub":"ada","cnf":{"jkt":"0ZcOCORZNYy"}}"#, "Authorization", 401)])
    func aKeyBoundTokenThroughTheJWTAuthorizerIsNoCaller(payload: String, header: String, status: Int) async throws {
        var event = try JSONValue.object(parsing: Array(try Repository.fixture("apigw-v2-http-request-jwt-authorizer.json")))
        var headers = try #require(event["headers"]?.objectValue)
        headers[header] = .string("Bearer eyJhbGciOiJSUzI1NiJ9." + Base64URL.encode(Array(payload.utf8)) + ".c2ln")
        event["headers"] = .object(headers)
        let response = try object(try await app.handle(event: JSONValue.object(event).jsonBytes))
        #expect(response["statusCode"] as? Int == status)
    }

    @Test func binaryBodiesAreBase64() async throws {
        var event = try Repository.fixture(APIGatewayV2Request.self, "apigw-v2-http-request-no-authorizer.json")
        event.rawPath = "/bytes"
        let response = try object(try await app.handle(event: Array(try JSONEncoder().encode(event))))
        #expect(response["isBase64Encoded"] as? Bool == true && response["body"] as? String == "/wA=")
    }

    @Test func otherEventsAreLambdaErrors() async throws {
        for event in [#"{"Records":[]}"#, "[1,2]", "not json", #"{"version":"2.0","rawPath":"/"}"#] {
            await #expect(throws: LambdaError.self) { try await app.handle(event: Array(event.utf8)) }
        }
    }
}

/// Minimal JSON-to-Foundation-objects for assertions (FoundationEssentials has no JSONSerialization).
enum JSONSerializationLite {
    static func object(_ bytes: [UInt8]) throws -> [String: Any]? {
        struct AnyValue: Decodable {
            let value: Any
            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let int = try? container.decode(Int.self) { value = int }
                else if let bool = try? container.decode(Bool.self) { value = bool }
                else if let string = try? container.decode(String.self) { value = string }
                else if let map = try? container.decode([String: [String]].self) { value = map }
                else if let map = try? container.decode([String: String].self) { value = map }
                else if let list = try? container.decode([String].self) { value = list }
                else { value = NSNullLite() }
            }
        }
        return try JSONDecoder().decode([String: AnyValue].self, from: Data(bytes)).mapValues(\.value)
    }

    struct NSNullLite {}
}
