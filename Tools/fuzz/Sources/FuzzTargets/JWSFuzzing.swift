import COpenSSL
@_spi(Gatehouse) import JWT

/// Two ways in. An input that starts with `{` is a claims payload: the harness signs it with the HS256 secret (its
/// own HMAC straight from OpenSSL, independent of the JWT package) and verifies it, so every byte reaches the claims
/// decoder behind a valid signature. Any other input is a compact token, verified against public keys and a secret.
enum JWSFuzzing {
    /// A fixed clock, so a seed's outcome does not change with the date.
    static let now = 1_700_000_000.0
    static let publicVerifier = JWTVerifier(keys: try! JWKSet(json: FuzzKeys.publicSet),
                                            policy: ClaimsPolicy(audiences: ["api"], leeway: 60))
    static let secretVerifier = JWTVerifier(
        keys: JWKSet(keys: [try! JWK.symmetric(secret: FuzzKeys.secret, algorithm: .hs256, keyID: FuzzKeys.secretKeyID)]),
        policy: ClaimsPolicy(requireExpiration: false, requiredScopes: ["read"]))

    static func run(_ input: [UInt8]) throws(InvariantViolation) {
        if input.first == UInt8(ascii: "{") {
            try verifySigned(payload: input)
        } else {
            let token = String(decoding: input, as: UTF8.self)
            try verifyTwice(token, with: publicVerifier)
            try verifyTwice(token, with: secretVerifier)
        }
    }

    /// Verifying is deterministic: pooled OpenSSL contexts and caches must not carry state from one call to the next.
    private static func verifyTwice(_ token: String, with verifier: JWTVerifier) throws(InvariantViolation) {
        let first = outcome(token, verifier)
        let second = outcome(token, verifier)
        try expect(first == second, "verifying twice gave \(first) then \(second)")
    }

    private static func outcome(_ token: String, _ verifier: JWTVerifier) -> String {
        do {
            let verified = try verifier.verify(token, now: now)
            return "valid \(verified.header.algorithm) \(verified.claims.scopes)"
        } catch {
            return error.code.description
        }
    }

    private static func verifySigned(payload: [UInt8]) throws(InvariantViolation) {
        let signingInput = Base64URL.encode(Array(#"{"alg":"HS256","kid":"kid-aes-sign"}"#.utf8)) + "."
            + Base64URL.encode(payload)
        let token = signingInput + "." + Base64URL.encode(hmacSHA256(Array(signingInput.utf8)))
        do {
            let verified = try secretVerifier.verify(token, now: now)
            try expect(verified.claims.grants("read"), "a token without the required scope verified")
            try expect(verified.claims.payload == payload, "the verified payload differs from the signed one")
            for time in [verified.claims.expiresAt, verified.claims.notBefore, verified.claims.issuedAt] {
                try expect(time?.isFinite ?? true, "a NumericDate that is not a finite number was accepted")
            }
            _ = (verified.claims.issuer, verified.claims.audiences, verified.claims.members)
        } catch let error as JWTError {
            let signatureCodes: [JWTError.Code] = [.invalidSignature, .unknownKey, .unsupportedHeader]
            try expect(!signatureCodes.contains(error.code), "a correctly signed token failed: \(error.reason)")
        } catch {
            throw error as! InvariantViolation
        }
    }

    private static func hmacSHA256(_ message: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        _ = HMAC(EVP_sha256(), FuzzKeys.secret, Int32(FuzzKeys.secret.count), message, message.count, &digest, &length)
        return digest
    }
}
