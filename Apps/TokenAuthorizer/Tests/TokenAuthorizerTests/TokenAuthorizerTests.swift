import JSON
import TransportClient
import GatehouseTesting
import FoundationEssentials
import HTTP
import JWT
import Policy
import ExampleTokens
import Testing
import Transport
@testable import TokenAuthorizer

@Suite struct TokenAuthorizerTests {
    static let secret = "a-test-secret-that-is-at-least-32-bytes-long"
    static let audience = "https://api.gatehouse.dev"
    let authorizer = TokenAuthorizer(verifier: try! ExampleTokens.verifier(openIDIssuer: nil, secretKey: secret,
                                                                          audience: audience, client: try! HTTPClient()))

    static func token(_ changes: [String: JSONValue] = [:], secret: String = secret) throws -> String {
        var claims: [String: JSONValue] = ["iss": "gatehouse-auth", "aud": .string(audience), "sub": "ada@example.com",
                                           "name": "Ada Lovelace", "https://gatehouse.dev/tenant": "acme",
                                           "scope": "read:profile write:wishlist", "exp": .number(currentTime() + 300)]
        claims.merge(changes) { _, new in new }
        return try JWTSigner(key: try JWK.symmetric(secret: Array(secret.utf8), algorithm: .hs256), algorithm: .hs256).sign(claims)
    }

    /// The TOKEN event fixture with a real token in place of its `allow` placeholder.
    static func event(_ authorization: String) throws -> TokenAuthorizerEvent {
        var event = try Repository.fixture(TokenAuthorizerEvent.self, "authorizer-token-event.json")
        event.authorizationToken = authorization
        event.methodArn = "arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/prod/GET/profile"
        return event
    }

    @Test func validTokenAllowsTheWholeStageWithContext() async throws {
        let decision = await authorizer.decide(try Self.event("Bearer " + Self.token()))
        guard case .allow(let principal, let policy, let context) = decision else { Issue.record("expected allow"); return }
        #expect(principal == "ada@example.com")
        #expect(policy.statements.flatMap(\.resources) == ["arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/prod/*/*"])
        #expect(policy.evaluate(resource: "arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/prod/POST/wish-list") == .allow)
        #expect(context == ["sub": .string("ada@example.com"), "scope": .string("read:profile write:wishlist"),
                            "name": .string("Ada Lovelace"), "tenant": .string("acme")])
    }

    @Test func everyFailureIsExactlyUnauthorized() async throws {
        let bad = [
            "", "Bearer", "Bearer not-a-token", "allow",
            "Bearer " + (try Self.token(["exp": .number(currentTime() - 60)])),
            "Bearer " + (try Self.token(["aud": "https://other.example"])),
            "Bearer " + (try Self.token(["iss": "https://evil.example/"])),
            "Bearer " + (try Self.token(secret: "another-secret-that-is-at-least-32-bytes")),
        ]
        for authorization in bad {
            #expect(await authorizer.decide(try Self.event(authorization)) == .unauthorized, "\(authorization.prefix(30))")
        }
        var broken = try Self.event("Bearer " + Self.token())
        broken.methodArn = "not-an-arn"
        #expect(await authorizer.decide(broken) == .unauthorized)
    }
}
