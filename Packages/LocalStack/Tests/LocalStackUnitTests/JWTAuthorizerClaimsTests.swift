import JSON
import HTTP
import JWT
import Testing
@testable import LocalStack

/// The claims the HTTP API's JWT authorizer hands a function are all strings, as API Gateway writes them: a list
/// claim is one bracketed, space-separated string with its strings unquoted (`[admin users]`), numbers and booleans
/// their JSON text, objects left out.
@Suite struct JWTAuthorizerClaimsTests {
    @Test func listNumberAndBooleanClaimsBecomeStringsAsAPIGatewayWritesThem() throws {
        let issuer = "https://issuer.example/"
        let key = try JWK.generate(for: .es256, keyID: "k1")
        let token = try JWTSigner(key: key, algorithm: .es256).sign([
            "iss": .string(issuer), "aud": .array(["api", "other"]), "sub": "ada", "exp": .number(4_102_444_800),
            "groups": .array(["admin", "users"]), "levels": .array([.number(1), .number(2)]), "email_verified": .bool(true),
            "address": .object(["city": "Paris"]),
        ])
        let authorizer = JWTAuthorizer(keys: [issuer: JWKSet(keys: [try key.publicKey()])])
        let request = HTTPRequest(method: "GET", path: "/", headers: [("Authorization", "Bearer " + token)])
        guard case .success(let block) = authorizer.authorize(request, issuer: issuer, audiences: ["api"], scopes: []) else {
            Issue.record("the token was refused")
            return
        }
        let claims = try #require(block.jwt?.claims)
        #expect(claims["groups"] == "[admin users]")
        #expect(claims["aud"] == "[api other]")
        #expect(claims["levels"] == "[1 2]")
        #expect(claims["email_verified"] == "true")
        #expect(claims["exp"] == "4102444800")
        #expect(claims["sub"] == "ada")
        #expect(claims["address"] == nil)
    }
}
