import JWT
import GatehouseTesting
import FoundationEssentials
import HTTP
import Testing
@testable import Profile

@Suite struct ProfileRoutesTests {
    static let fixtures = Repository.path("Tests/Fixtures/events/")

    /// A REST event for GET /profile carrying what the TOKEN authorizer put in its context.
    func call(context: [String: String]?, fixture: String = "apigw-v1-rest-proxy-request.json") async throws -> (Int, String) {
        var event = try JSONDecoder().decode(APIGatewayV1Request.self, from: Data(contentsOf: URL(fileURLWithPath: Self.fixtures + fixture)))
        event.httpMethod = "GET"
        event.path = "/profile"
        event.body = nil
        if event.requestContext != nil { event.requestContext?.authorizer = context?.mapValues { .string($0) } }
        struct Response: Decodable { var statusCode: Int; var body: String }
        let output = try await ProfileRoutes.application().handle(event: Array(try JSONEncoder().encode(event)))
        let response = try JSONDecoder().decode(Response.self, from: Data(output))
        return (response.statusCode, response.body)
    }

    @Test func nameFromTheAuthorizerContext() async throws {
        let context = ["principalId": "ada@example.com", "sub": "ada@example.com", "scope": "read:profile", "name": "Ada Lovelace"]
        #expect(try await call(context: context) == (200, #"{"name":"Ada Lovelace"}"#))
    }

    @Test func scopeAndAuthentication() async throws {
        #expect(try await call(context: ["principalId": "svc", "sub": "svc", "scope": "write:wishlist"])
                == (403, #"{"message":"missing scope read:profile"}"#))
        #expect(try await call(context: nil) == (401, #"{"message":"Unauthorized"}"#))
        // The console's Test button sends nulls everywhere: still a clean 401, not a crash.
        #expect(try await call(context: nil, fixture: "apigw-v1-rest-proxy-request-console-test-nulls.json").0 == 401)
    }
}
