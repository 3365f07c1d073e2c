import FoundationEssentials
import JWT
public import Sessions

/// The login service's rules, apart from HTTP: throttled logins, rotating refresh tokens, access tokens that carry
/// the user's permissions as stored now.
public struct AuthService: Sendable {
    /// Tokens handed to a client: a 5-minute access token, and a refresh token unless the seed's form asked.
    public struct Session: Sendable, Equatable {
        public var accessToken: String
        public var refreshToken: String?
    }

    /// Why a request was refused.
    public enum Refusal: Error, Equatable {
        /// Unknown email or wrong password (one answer for both).
        case invalidCredentials
        /// Too many failed logins for this email or address; retry after this many seconds.
        case throttled(retryAfter: Int)
        /// A refresh or access token that is unknown, expired, spent or revoked, or whose user is gone.
        case invalidToken
    }

    let users: UserStore
    let issuer: TokenIssuer
    let refreshTokens: RefreshTokens
    let attempts: LoginAttempts
    let now: @Sendable () -> Double

    /// The service over its stores, read against `now`.
    public init(users: UserStore, issuer: TokenIssuer, refreshTokens: RefreshTokens, attempts: LoginAttempts,
                now: @escaping @Sendable () -> Double) {
        self.users = users
        self.issuer = issuer
        self.refreshTokens = refreshTokens
        self.attempts = attempts
        self.now = now
    }

    /// Checks `password` for `email`, unless logins from `source` or for `email` are throttled; the same work and
    /// answer for an unknown email as for a wrong password.
    public func login(email: String, password: String, source: String?) async throws -> Session {
        if let wait = try await attempts.retryAfter(email: email, source: source) { throw Refusal.throttled(retryAfter: wait) }
        let user = try await users.user(email: email)
        let matches = user?.password.matches(password) ?? PasswordHash.decoy.matches(password)
        guard let user, matches else {
            try await attempts.recordFailure(email: email, source: source)
            throw Refusal.invalidCredentials
        }
        try await attempts.reset(email: email)
        return Session(accessToken: try issuer.token(for: user, now: now()),
                       refreshToken: try await refreshTokens.issue(RefreshGrant(subject: user.email)))
    }

    /// Spends `refreshToken` for a new access token (with the user's current permissions) and its successor.
    /// A spent token revokes its family; a removed user's family is revoked too.
    public func refresh(refreshToken: String) async throws -> Session {
        let rotated: (grant: RefreshGrant, token: String)
        do { rotated = try await refreshTokens.rotate(refreshToken) } catch is RefreshTokenError { throw Refusal.invalidToken }
        guard let user = try await users.user(email: rotated.grant.subject) else {
            try await refreshTokens.revokeFamily(of: rotated.token)
            throw Refusal.invalidToken
        }
        return Session(accessToken: try issuer.token(for: user, now: now()), refreshToken: rotated.token)
    }

    /// The seed's form: a still-valid access token for a new one, re-reading the user (a removed user gets none).
    public func refresh(accessToken: String) async throws -> Session {
        guard let subject = try? issuer.subject(ofValid: accessToken, now: now()),
              let user = try await users.user(email: subject) else { throw Refusal.invalidToken }
        return Session(accessToken: try issuer.token(for: user, now: now()), refreshToken: nil)
    }

    /// Revokes the family of `refreshToken`; nothing to tell about a token that is not ours.
    public func logout(refreshToken: String) async throws {
        try await refreshTokens.revokeFamily(of: refreshToken)
    }
}

extension PasswordHash {
    /// A hash no password matches, checked for unknown emails so they take as long as known ones.
    static let decoy = PasswordHash(password: "decoy-\(UInt64.random(in: 0...UInt64.max))")
}
