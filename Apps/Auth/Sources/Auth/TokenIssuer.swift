public import JWT
import JSON
import ExampleTokens
import FoundationEssentials

/// Issues the `auth` app's 5-minute HS256 access tokens, and checks them for the seed's refresh form.
public struct TokenIssuer: Sendable {
    /// Lifetime of a token, in seconds.
    public static let lifetime = 300.0

    private let signer: JWTSigner
    private let verifier: JWTVerifier
    private let audience: String

    /// An issuer signing with `secretKey` (at least 32 bytes) for `audience`.
    public init(secretKey: String, audience: String) throws {
        let key = try JWK.symmetric(secret: Array(secretKey.utf8), algorithm: .hs256)
        signer = try JWTSigner(key: key, algorithm: .hs256)
        verifier = JWTVerifier(keys: JWKSet(keys: [key]),
                               policy: ClaimsPolicy(issuer: ExampleTokens.authIssuer, audiences: [audience]))
        self.audience = audience
    }

    /// A token for `user` in `session`: `sub`, `email`, `name`, the tenant claim, `scope` = the user's permissions,
    /// `sid` = the session (so that ending the session ends what the token can renew), and a unique `jti`.
    public func token(for user: User, session: String, now: Double = currentTime()) throws -> String {
        var claims: [String: JSONValue] = [
            "iss": .string(ExampleTokens.authIssuer), "aud": .string(audience), "sub": .string(user.email), "email": .string(user.email),
            "name": .string(user.name), "iat": .number(now.rounded(.down)), "exp": .number(now.rounded(.down) + Self.lifetime),
            "jti": .string(UUID().uuidString.lowercased()), "sid": .string(session),
        ]
        if let tenant = user.tenant { claims[ExampleTokens.tenantClaim] = .string(tenant) }
        if !user.permissions.isEmpty { claims["scope"] = .string(user.permissions.joined(separator: " ")) }
        return try signer.sign(claims)
    }

    /// The subject and session of `token`, when it is one of ours and still valid.
    public func session(ofValid token: String, now: Double = currentTime()) throws -> (subject: String, session: String) {
        let claims = try verifier.verify(token, now: now).claims
        guard let subject = claims.subject else { throw JWTError(.invalidClaim, "no sub") }
        guard let session = claims["sid"]?.stringValue else { throw JWTError(.invalidClaim, "no sid") }
        return (subject, session)
    }
}
