import Glibc

/// What a token's claims must satisfy. Each failure's reason is the `error_description` API Gateway's JWT
/// authorizer would give.
public struct ClaimsPolicy: Sendable {
    /// The exact `iss` required; nil skips the check.
    public var issuer: String?
    /// Accepted audiences; the token's `aud` must name at least one. Nil skips the check.
    public var audiences: Set<String>?
    /// Seconds of clock skew tolerated on `exp`, `nbf` and `iat`.
    public var leeway: Double
    /// Whether a token without `exp` is refused (default: yes).
    public var requireExpiration: Bool
    /// Scopes that must all be granted.
    public var requiredScopes: [String]
    /// Whether a token without `aud` may name its audience in `client_id` (Cognito access tokens), as API Gateway's
    /// JWT authorizer allows.
    public var clientIDMayStandForAudience = false
    /// The `token_use` values accepted (Cognito: `access`, `id`); nil skips the check.
    public var tokenUses: Set<String>?
    /// Groups (`cognito:groups`) of which the caller must be in at least one; nil skips the check.
    public var groups: Set<String>?

    /// A policy; by default tokens must carry `exp`.
    public init(issuer: String? = nil, audiences: Set<String>? = nil, leeway: Double = 0, requireExpiration: Bool = true,
                requiredScopes: [String] = []) {
        self.issuer = issuer
        self.audiences = audiences
        self.leeway = leeway
        self.requireExpiration = requireExpiration
        self.requiredScopes = requiredScopes
    }

    /// Amazon Cognito's rules for a user pool's tokens: its issuer
    /// (`https://cognito-idp.REGION.amazonaws.com/POOL_ID`), one of the app `clientIDs` (`aud` in ID tokens,
    /// `client_id` in access tokens, which have no `aud`), the `tokenUse` (`access` for calling APIs, `id` for
    /// who the user is; nil takes either, never anything else) and, when given, membership of one of `groups`.
    public static func cognito(issuer: String, clientIDs: Set<String>, tokenUse: String? = "access",
                               groups: Set<String>? = nil) -> ClaimsPolicy {
        var policy = ClaimsPolicy(issuer: issuer, audiences: clientIDs)
        policy.clientIDMayStandForAudience = true
        policy.tokenUses = tokenUse.map { [$0] } ?? ["id", "access"]
        policy.groups = groups
        return policy
    }

    /// Checks `claims` at time `now` (seconds since the epoch).
    public func validate(_ claims: JWTClaims, now: Double = currentTime()) throws(JWTError) {
        if let expiresAt = claims.expiresAt {
            guard now < expiresAt + leeway else { throw JWTError(.expired, "the token has expired") }
        } else if requireExpiration {
            throw JWTError(.invalidClaim, "the token has no exp claim")
        }
        if let notBefore = claims.notBefore, now + leeway < notBefore {
            throw JWTError(.notYetValid, "the token is not valid yet")
        }
        if let issuedAt = claims.issuedAt, now + leeway < issuedAt {
            throw JWTError(.issuedInFuture, "the token was issued in the future")
        }
        if let issuer, !claims.isIssued(by: issuer) {
            throw JWTError(.invalidIssuer, "the token has an invalid issuer")
        }
        if let audiences {
            let intended = claims.audiences.isEmpty && clientIDMayStandForAudience
                ? claims.clientID.map(audiences.contains) ?? false : claims.isIntended(for: audiences)
            guard intended else { throw JWTError(.invalidAudience, "the token does not have a valid audience") }
        }
        if let tokenUses, !(claims.tokenUse.map(tokenUses.contains) ?? false) {
            throw JWTError(.invalidClaim, "the token's token_use is not \(tokenUses.sorted().joined(separator: " or "))")
        }
        if let groups, !claims.groups.contains(where: groups.contains) {
            throw JWTError(.insufficientScope, "the caller is in none of the required groups")
        }
        if let missing = requiredScopes.first(where: { !claims.grants($0) }) {
            throw JWTError(.insufficientScope, "the token lacks scope \(missing)")
        }
    }
}

/// Seconds since the Unix epoch, with sub-second precision.
public func currentTime() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
