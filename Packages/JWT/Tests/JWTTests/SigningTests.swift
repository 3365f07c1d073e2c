import JSON
import Testing
@testable import JWT

@Suite struct SigningTests {
    @Test(arguments: JWSAlgorithm.allCases)
    func generatedKeySignsAndVerifies(algorithm: JWSAlgorithm) throws {
        let privateKey = try JWK.generate(for: algorithm, keyID: "k1")
        let signer = try JWTSigner(key: privateKey, algorithm: algorithm)
        let now = currentTime()
        let token = try signer.sign(["iss": "https://issuer.example/", "aud": "api", "sub": "user-1",
                                     "exp": .number(now + 60), "scope": "read:profile write:wishlist"])
        let verifyingKey = algorithm.keyType == "oct" ? privateKey : try privateKey.publicKey()
        #expect(algorithm.keyType == "oct" || !verifyingKey.canSign)
        let verifier = JWTVerifier(keys: JWKSet(keys: [verifyingKey]),
                                   policy: ClaimsPolicy(issuer: "https://issuer.example/", audiences: ["api"],
                                                        requiredScopes: ["write:wishlist"]))
        let verified = try verifier.verify(token)
        #expect(verified.claims.subject == "user-1")
        #expect(verified.header.keyID == "k1")

        // A JWKS round trip of the published key verifies the same token.
        let published = try JWKSet(json: JSONValue.object(["keys": .array([.object(verifyingKey.members(
            includingPrivate: algorithm.keyType == "oct"))])]).jsonText)
        #expect(throws: Never.self) { try JWTVerifier(keys: published, policy: ClaimsPolicy()).verify(token) }

        // Re-parsing the private JWK gives a key that signs tokens the public key accepts.
        let reparsed = try JWK(json: JSONValue.object(privateKey.members(includingPrivate: true)).jsonText)
        let again = try JWTSigner(key: reparsed, algorithm: algorithm).sign(["exp": .number(now + 60)])
        #expect(throws: Never.self) { try JWTVerifier(keys: JWKSet(keys: [verifyingKey]), policy: ClaimsPolicy()).verify(again) }
    }

    @Test func customClaimsDecode() throws {
        struct MyClaims: Decodable { var sub: String; var name: String; var tenant: String
            enum CodingKeys: String, CodingKey { case sub, name, tenant = "https://gatehouse.dev/tenant" } }
        let key = try JWK.generate(for: .hs256)
        let token = try JWTSigner(key: key, algorithm: .hs256).sign([
            "sub": "ada", "name": "Ada Lovelace", "https://gatehouse.dev/tenant": "acme", "exp": .number(currentTime() + 60)])
        let claims = try JWTVerifier(keys: JWKSet(keys: [key]), policy: ClaimsPolicy()).verify(token).claims
        let mine = try claims.decode(MyClaims.self)
        #expect(mine.name == "Ada Lovelace" && mine.tenant == "acme")
    }
}
