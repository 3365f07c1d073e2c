import JSON
import Testing
@testable import JWT

/// `ClaimsPolicy.cognito`: a user pool's tokens as AWS documents verifying them — the pool's issuer, an app client
/// in `aud` (ID tokens) or `client_id` (access tokens, which have no `aud`), the token use, and groups.
@Suite struct CognitoPolicyTests {
    static let issuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example"

    func claims(_ members: [String: JSONValue]) throws -> JWTClaims {
        var all: [String: JSONValue] = ["iss": .string(Self.issuer), "exp": .number(currentTime() + 60)]
        all.merge(members) { $1 }
        return try JWTClaims(payload: Array(JSONValue.object(all).jsonText.utf8))
    }

    func code(_ policy: ClaimsPolicy, _ members: [String: JSONValue]) throws -> JWTError.Code? {
        let claims = try claims(members)
        do {
            try policy.validate(claims)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func accessAndIDTokens() throws {
        let access = ClaimsPolicy.cognito(issuer: Self.issuer, clientIDs: ["web"])
        #expect(try code(access, ["token_use": "access", "client_id": "web"]) == nil)
        #expect(try code(access, ["token_use": "access", "client_id": "other"]) == .invalidAudience)
        #expect(try code(access, ["token_use": "id", "aud": "web"]) == .invalidClaim)
        #expect(try code(access, ["client_id": "web"]) == .invalidClaim)  // no token_use
        // An `aud` that is there is what counts: a listed client_id does not stand in for a wrong one.
        #expect(try code(access, ["token_use": "access", "aud": "other", "client_id": "web"]) == .invalidAudience)
        let id = ClaimsPolicy.cognito(issuer: Self.issuer, clientIDs: ["web"], tokenUse: "id")
        #expect(try code(id, ["token_use": "id", "aud": "web"]) == nil)
        #expect(try code(id, ["token_use": "access", "client_id": "web"]) == .invalidClaim)
        let either = ClaimsPolicy.cognito(issuer: Self.issuer, clientIDs: ["web"], tokenUse: nil)
        #expect(try code(either, ["token_use": "id", "aud": "web"]) == nil)
        #expect(try code(either, ["token_use": "access", "client_id": "web"]) == nil)
        // "Either" is ID or access, never anything else: not a refresh token, not a token without token_use.
        #expect(try code(either, ["token_use": "refresh", "client_id": "web"]) == .invalidClaim)
        #expect(try code(either, ["client_id": "web"]) == .invalidClaim)
        let other = ClaimsPolicy.cognito(issuer: Self.issuer + "2", clientIDs: ["web"])
        #expect(try code(other, ["token_use": "access", "client_id": "web"]) == .invalidIssuer)
        // Without the Cognito rule, a token with no aud has no audience.
        #expect(try code(ClaimsPolicy(issuer: Self.issuer, audiences: ["web"]), ["client_id": "web"]) == .invalidAudience)
    }

    @Test func groups() throws {
        let editors = ClaimsPolicy.cognito(issuer: Self.issuer, clientIDs: ["web"], groups: ["editors", "admins"])
        #expect(try code(editors, ["token_use": "access", "client_id": "web", "cognito:groups": ["readers", "editors"]]) == nil)
        #expect(try code(editors, ["token_use": "access", "client_id": "web", "cognito:groups": ["readers"]]) == .insufficientScope)
        #expect(try code(editors, ["token_use": "access", "client_id": "web"]) == .insufficientScope)
        #expect(try claims(["cognito:groups": ["a", "b"]]).groups == ["a", "b"])
    }
}
