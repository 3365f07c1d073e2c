import JSON
import Glibc
import Testing
@_spi(Gatehouse) @testable import JWT

/// Known attacks on JWT verifiers, each refused with a clear code.
@Suite struct AttackTests {
    let rsaKey = try! JWK.generate(for: .rs256, keyID: "rsa")
    let now = currentTime()
    var claims: [String: JSONValue] {
        ["iss": "https://idp.example/", "aud": "https://api.example", "sub": "u1", "exp": .number(now + 300),
         "iat": .number(now), "scope": "read:profile"]
    }
    var policy: ClaimsPolicy { ClaimsPolicy(issuer: "https://idp.example/", audiences: ["https://api.example"]) }

    func token(header: [String: JSONValue], claims: [String: JSONValue], signature: [UInt8] = [1, 2, 3]) -> String {
        Base64URL.encode(Array(JSONValue.object(header).jsonText.utf8)) + "."
            + Base64URL.encode(Array(JSONValue.object(claims).jsonText.utf8)) + "." + Base64URL.encode(signature)
    }

    func code(_ token: String, keys: JWKSet? = nil, policy: ClaimsPolicy? = nil) throws -> JWTError.Code? {
        let verifier = JWTVerifier(keys: try keys ?? JWKSet(keys: [rsaKey.publicKey()]), policy: policy ?? self.policy)
        do {
            _ = try verifier.verify(token)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func algNoneInAnySpelling() throws {
        for alg in ["none", "None", "NONE", "nOnE"] {
            let unsigned = token(header: ["alg": .string(alg), "kid": "rsa"], claims: claims, signature: [])
            #expect(try code(unsigned) == .malformed)  // empty signature segment
            #expect(try code(unsigned + "AA") == .unsupportedHeader)
        }
    }

    @Test func rsaPublicKeyAsHMACSecretIsRefused() throws {
        // The classic RS256 → HS256 confusion: sign HS256 with the RSA public key's bytes as the secret.
        let publicJWK = JSONValue.object(try rsaKey.publicKey().members(includingPrivate: false)).jsonText
        let secret = JWK(keyID: "rsa", algorithm: nil, material: .oct(HMACKey(secret: Array(publicJWK.utf8))))
        let forged = try JWTSigner(key: secret, algorithm: .hs256).sign(claims)
        #expect(try code(forged) == .unknownKey)
    }

    @Test func kidTricks() throws {
        let signer = try JWTSigner(key: rsaKey, algorithm: .rs256)
        let valid = try signer.sign(claims)
        #expect(try code(valid) == nil)
        for kid in ["../../dev/null", "rsa' OR '1'='1", "", "RSA", "rsa\u{0}"] {
            let forged = JWK(keyID: kid, algorithm: .rs256, material: try JWK.generate(for: .rs256).material)
            #expect(try code(try JWTSigner(key: forged, algorithm: .rs256).sign(claims)) == .unknownKey)
        }
    }

    @Test func embeddedKeyHeadersAreIgnored() throws {
        let attacker = try JWK.generate(for: .rs256, keyID: "rsa")
        let attackerPublic = JSONValue.object(try attacker.publicKey().members(includingPrivate: false))
        let signingInput = Base64URL.encode(Array(JSONValue.object(["alg": "RS256", "kid": "rsa", "jwk": attackerPublic,
                                                                    "jku": "https://evil.example/jwks.json",
                                                                    "x5u": "https://evil.example/cert"]).jsonText.utf8))
            + "." + Base64URL.encode(Array(JSONValue.object(claims).jsonText.utf8))
        guard case .rsa(let evp, _) = attacker.material else { return }
        let signature = try AsymmetricSignature.sign(.rs256, key: evp, message: Array(signingInput.utf8))
        #expect(try code(signingInput + "." + Base64URL.encode(signature)) == .invalidSignature)
    }

    @Test func ecdsaZeroAndDERSignatures() throws {
        let ecKey = try JWK.generate(for: .es256, keyID: "ec")
        let keys = JWKSet(keys: [try ecKey.publicKey()])
        let header: [String: JSONValue] = ["alg": "ES256", "kid": "ec"]
        #expect(try code(token(header: header, claims: claims, signature: [UInt8](repeating: 0, count: 64)), keys: keys)
                == .invalidSignature)
        let valid = try JWTSigner(key: ecKey, algorithm: .es256).sign(claims)
        #expect(try code(valid, keys: keys) == nil)
        let raw = Base64URL.decode(valid.split(separator: ".")[2])!
        let der = ECDSASignatureCodec.der(fromRaw: raw)
        let parts = valid.split(separator: ".")
        #expect(try code("\(parts[0]).\(parts[1]).\(Base64URL.encode(der))", keys: keys) == .invalidSignature)
    }

    @Test func weakKeysNeverLoad() throws {
        let good = JSONValue.object(try JWK.generate(for: .es256, keyID: "good").publicKey().members(includingPrivate: false))
        let document = """
            {"keys":[{"kty":"RSA","kid":"small","n":"\(Base64URL.encode([UInt8](repeating: 0xC3, count: 128)))","e":"AQAB"},
            {"kty":"oct","kid":"short","alg":"HS256","k":"\(Base64URL.encode([UInt8](repeating: 7, count: 16)))"},
            {"kty":"RSA","kid":"enc","use":"enc","n":"x","e":"AQAB"},{"kty":"XYZ","kid":"odd"}, 7,
            {"kty":"oct","kid":"secret","k":"\(Base64URL.encode([UInt8](repeating: 9, count: 32)))"}, \(good.jsonText)]}
            """
        let set = try JWKSet(json: document)
        #expect(set.count == 1)
        #expect(set.refused.map(\.keyID) == ["small", "short", "enc", "odd", nil, "secret"])
        #expect(set.refused.last?.reason == "shared secret in a set of public keys")
        #expect(set.contains(keyID: "good"))
        #expect(set.refused[0].reason.contains("2048"))
        // A token naming a refused key is told which key and why, not just "no usable key".
        let secret = try JWK.symmetric(secret: [UInt8](repeating: 9, count: 32), algorithm: .hs256, keyID: "secret")
        let token = try JWTSigner(key: secret, algorithm: .hs256).sign(["iss": "i", "aud": "a", "exp": 4_000_000_000])
        let refusal = try #require(throws: JWTError.self) {
            try JWTVerifier(keys: set, policy: ClaimsPolicy(issuer: "i", audiences: ["a"])).verify(token)
        }
        #expect(refusal.code == .unknownKey)
        #expect(refusal.reason == "key secret was refused when the key set loaded: shared secret in a set of public keys")
    }

    @Test func timeClaims() throws {
        let signer = try JWTSigner(key: rsaKey, algorithm: .rs256)
        var expired = claims
        expired["exp"] = .number(now - 10)
        #expect(try code(try signer.sign(expired)) == .expired)
        var lenient = policy
        lenient.leeway = 30
        #expect(try code(try signer.sign(expired), policy: lenient) == nil)
        var early = claims
        early["nbf"] = .number(now + 120)
        #expect(try code(try signer.sign(early)) == .notYetValid)
        var future = claims
        future["iat"] = .number(now + 120)
        #expect(try code(try signer.sign(future)) == .issuedInFuture)
        var stringDate = claims
        stringDate["exp"] = .string(String(Int(now + 300)))
        #expect(try code(try signer.sign(stringDate)) == .invalidClaim)
        var noExpiry = claims
        noExpiry["exp"] = nil
        #expect(try code(try signer.sign(noExpiry)) == .invalidClaim)
    }

    @Test func issuerAndAudience() throws {
        let signer = try JWTSigner(key: rsaKey, algorithm: .rs256)
        var other = claims
        other["iss"] = "https://idp.example"  // missing trailing slash: exact match only
        #expect(try code(try signer.sign(other)) == .invalidIssuer)
        other = claims
        other["aud"] = ["https://other.example", "https://api.example"]
        #expect(try code(try signer.sign(other)) == nil)
        other["aud"] = "https://api.example.evil"
        #expect(try code(try signer.sign(other)) == .invalidAudience)
        other["aud"] = nil
        #expect(try code(try signer.sign(other)) == .invalidAudience)
    }

    @Test func scopesMatchWholeWordsOnly() throws {
        let signer = try JWTSigner(key: rsaKey, algorithm: .rs256)
        var scoped = policy
        scoped.requiredScopes = ["write:wishlist"]
        for scope: JSONValue in ["write:wishlist-admin", "write:wishlis", "read:profile write:wishlist2", "WRITE:WISHLIST"] {
            var tricky = claims
            tricky["scope"] = scope
            #expect(try code(try signer.sign(tricky), policy: scoped) == .insufficientScope)
        }
        var scp = claims
        scp["scope"] = nil
        scp["scp"] = ["read:profile", "write:wishlist"]
        #expect(try code(try signer.sign(scp), policy: scoped) == nil)
        // Escaped strings among the array's elements (a fuzzer found they trapped the scope check).
        scp["scp"] = [#"say "hi""#, "write:wishlist"]
        #expect(try code(try signer.sign(scp), policy: scoped) == nil)
        scp["scp"] = [#"write:wishlist\"#, #""write:wishlist""#]
        #expect(try code(try signer.sign(scp), policy: scoped) == .insufficientScope)
    }

    @Test func hugeAndDeepInputsAreRefusedFast() throws {
        let start = currentTime()
        let huge = String(repeating: "A", count: 1_000_000) + "." + "B" + "." + "C"
        #expect(try code(huge) == .malformed)
        let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        let deepPayload = token(header: ["alg": "RS256", "kid": "rsa"], claims: [:]).split(separator: ".")
        let nested = "\(deepPayload[0]).\(Base64URL.encode(Array("{\"a\":\(deep)}".utf8))).AAAA"
        #expect(try code(nested) != nil)
        let nestedHeader = Base64URL.encode(Array("{\"alg\":\"RS256\",\"x\":\(String(repeating: "[", count: 1000))".utf8))
        #expect(try code(nestedHeader + ".e30.AAAA") == .malformed)
        let duplicate = Base64URL.encode(Array(#"{"alg":"RS256","alg":"HS256","kid":"rsa"}"#.utf8)) + ".e30.AAAA"
        #expect(try code(duplicate) == .malformed)
        #expect(currentTime() - start < 2)
    }

    @Test func segmentShapes() throws {
        for bad in ["", ".", "..", "a.b", "a.b.c.d", "eyJhbGciOiJSUzI1NiJ9.e30.AA==", "eyJhbGciOiJSUzI1NiJ9 .e30.AAAA",
                    "eyJhbGciOiJSUzI1NiJ9.e30.AA+/", "W10.e30.AAAA", "InN0cmluZyI.e30.AAAA"] {
            #expect(try code(bad) == .malformed, "\(bad)")
        }
        let critical = token(header: ["alg": "RS256", "kid": "rsa", "crit": ["exp"], "exp": 1], claims: claims)
        #expect(try code(critical) == .unsupportedHeader)
    }
}
