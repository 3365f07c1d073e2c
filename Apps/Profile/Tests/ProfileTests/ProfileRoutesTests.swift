import JWT
import GatehouseTesting
import FoundationEssentials
import HTTP
import HTTPTesting
import Testing
@testable import Profile

@Suite struct ProfileRoutesTests {
    /// A REST event for GET /profile carrying what the TOKEN authorizer put in its context.
    func call(context: [String: String]?, fixture: String = "apigw-v1-rest-proxy-request.json") async throws -> (Int, String) {
        let answer = try await ProfileRoutes.application().call(TestEvents.rest("GET", "/profile", context: context, fixture: fixture))
        return (answer.status, answer.body)
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
