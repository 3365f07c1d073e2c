/// A token that passed signature and claims checks.
public struct VerifiedJWT: Sendable {
    /// The protected header.
    public let header: JWSHeader
    /// The validated claims.
    public let claims: JWTClaims
}

/// Verifies JWTs against one key set and one claims policy: the fast path, with keys already parsed.
public struct JWTVerifier: Sendable {
    /// The keys tokens must be signed with.
    public var keys: JWKSet
    /// What the claims must satisfy.
    public var policy: ClaimsPolicy
    /// Size limits on tokens.
    public var limits: JWSLimits

    /// A verifier for `keys` and `policy`.
    public init(keys: JWKSet, policy: ClaimsPolicy, limits: JWSLimits = JWSLimits()) {
        self.keys = keys
        self.policy = policy
        self.limits = limits
    }

    /// Verifies the signature, then the claims at `now`.
    public func verify(_ token: String, now: Double = currentTime()) throws(JWTError) -> VerifiedJWT {
        try withUTF8(of: token) { bytes throws(JWTError) in
            try verifyToken(bytes, keys: keys, policy: policy, limits: limits, now: now)
        }
    }
}

func verifyToken(_ token: UnsafeRawBufferPointer, keys: JWKSet, policy: ClaimsPolicy, limits: JWSLimits, now: Double)
    throws(JWTError) -> VerifiedJWT
{
    let jws = try JWS.verify(token, keys: keys, limits: limits)
    let claims = try JWTClaims(payload: jws.payload)
    try policy.validate(claims, now: now)
    return VerifiedJWT(header: jws.header, claims: claims)
}

/// Supplies an issuer's current keys. A fetching implementation (the HTTP package's JWKS fetcher) caches them and,
/// when `unknownKeyID` is set because a token named a `kid` the last set lacked, may refetch, rate-limited.
public protocol KeySetSource: Sendable {
    /// The keys to verify with now.
    func keySet(unknownKeyID: String?) async throws -> JWKSet
}

extension JWKSet: KeySetSource {
    /// A fixed key set is its own source.
    public func keySet(unknownKeyID: String?) async throws -> JWKSet { self }
}

/// One issuer a `MultiIssuerVerifier` trusts: its exact `iss`, its accepted audiences and where its keys come from.
@_spi(Gatehouse) public struct TrustedIssuer: Sendable {
    /// The exact `iss` value.
    public var issuer: String
    /// Accepted `aud` values.
    public var audiences: Set<String>
    /// The issuer's keys.
    public var keys: any KeySetSource

    /// An issuer trusted for `audiences`, with keys from `keys`.
    public init(issuer: String, audiences: Set<String>, keys: any KeySetSource) {
        self.issuer = issuer
        self.audiences = audiences
        self.keys = keys
    }
}

/// Verifies tokens from several trusted issuers, each with its own keys and audiences: the issuer named by the
/// (not yet trusted) `iss` only selects which keys and audiences apply; the token must then verify under them.
@_spi(Gatehouse) public struct MultiIssuerVerifier: Sendable {
    private let issuers: [String: TrustedIssuer]
    /// Clock skew tolerated, in seconds.
    public var leeway: Double
    /// Size limits on tokens.
    public var limits: JWSLimits

    /// A verifier trusting `issuers`.
    public init(issuers: [TrustedIssuer], leeway: Double = 0, limits: JWSLimits = JWSLimits()) {
        self.issuers = Dictionary(issuers.map { ($0.issuer, $0) }) { first, _ in first }
        self.leeway = leeway
        self.limits = limits
    }

    /// Verifies `token` and requires every scope in `requiredScopes`.
    public func verify(_ token: String, requiredScopes: [String] = [], now: Double = currentTime()) async throws(JWTError)
        -> VerifiedJWT
    {
        let unverified = try withUTF8(of: token) { bytes throws(JWTError) in try CompactJWS.parse(bytes, limits: limits) }
        let issuerName = (try JWTClaims(payload: unverified.payload)).issuer
        guard let issuerName, let trusted = issuers[issuerName] else {
            throw JWTError(.invalidIssuer, "the token has an invalid issuer")
        }
        var keys: JWKSet
        do {
            keys = try await trusted.keys.keySet(unknownKeyID: nil)
            if let kid = unverified.header.keyID, !keys.contains(keyID: kid) {
                keys = try await trusted.keys.keySet(unknownKeyID: kid)
            }
        } catch {
            throw JWTError(.unknownKey, "the issuer's keys are unavailable")
        }
        let policy = ClaimsPolicy(issuer: trusted.issuer, audiences: trusted.audiences, leeway: leeway,
                                  requiredScopes: requiredScopes)
        return try withUTF8(of: token) { bytes throws(JWTError) in
            try verifyToken(bytes, keys: keys, policy: policy, limits: limits, now: now)
        }
    }
}

/// Runs `body` over the UTF-8 bytes of `text` without copying when the string is native, keeping the typed error.
func withUTF8<T>(of text: String, _ body: (UnsafeRawBufferPointer) throws(JWTError) -> T) throws(JWTError) -> T {
    var text = text
    let result = text.withUTF8 { bytes in Result { () throws(JWTError) in try body(UnsafeRawBufferPointer(bytes)) } }
    return try result.get()
}
