@_spi(Gatehouse) public import JWT
import Transport
public import TransportClient

/// Verifies the token of an `Authorization` header (`Bearer TOKEN`, or the bare token as API Gateway's JWT authorizer
/// also accepts) against several issuers, configured by value: OpenID providers (keys by discovery, cached) and
/// issuers of HS256 tokens signed with a shared secret.
public struct BearerTokenVerifier: Sendable {
    /// An issuer whose tokens are trusted.
    public enum Issuer: Sendable {
        /// An OpenID provider: its `iss` URL, keys discovered from it.
        case openID(String)
        /// HS256 tokens whose `iss` is `issuer`, signed with `secret` (at least 32 bytes).
        case sharedSecret(issuer: String, secret: String)
    }

    private let verifier: MultiIssuerVerifier

    /// Trusts tokens of `issuers` for `audience`, with `leeway` seconds on time claims.
    public init(trusting issuers: [Issuer], audience: String, client: HTTPClient, leeway: Double = 5) throws {
        verifier = MultiIssuerVerifier(issuers: try issuers.map { issuer in
            switch issuer {
            case .openID(let url):
                return TrustedIssuer(issuer: url, audiences: [audience], keys: try JWKSFetcher(issuer: url, client: client))
            case .sharedSecret(let name, let secret):
                let key = try JWK.symmetric(secret: Array(secret.utf8), algorithm: .hs256)
                return TrustedIssuer(issuer: name, audiences: [audience], keys: JWKSet(keys: [key]))
            }
        }, leeway: leeway)
    }

    /// The verified token of an `Authorization` value. A token bound to a key (`cnf`, as DPoP binds them) is
    /// refused: sent as a bearer token it may be a stolen copy (RFC 9449 §7.2); `DPoPTokenVerifier` takes it.
    public func verify(authorization: String?) async throws(JWTError) -> VerifiedJWT {
        guard var token = authorization?.trimming(" "), !token.isEmpty else {
            throw JWTError(.malformed, "no token")
        }
        if token.lowercased().hasPrefix("bearer ") { token = String(token.dropFirst(7)).trimming(" ") }
        let verified = try await verifier.verify(token)
        guard verified.claims["cnf"] == nil else {
            throw JWTError(.invalidClaim, "a token bound to a key (cnf) is not accepted as a bearer token")
        }
        return verified
    }

    /// A token that may be bound to a key, verified as any other; its binding is the caller's to check.
    func verifyBound(_ token: String) async throws(JWTError) -> VerifiedJWT {
        try await verifier.verify(token)
    }
}
