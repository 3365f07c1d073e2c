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
    /// answer for an unknown email as for a wrong password. The attempt is counted before the (slow) password check,
    /// so parallel guesses cannot pass the limit; a right password releases it.
    public func login(email: String, password: String, source: String?) async throws -> Session {
        let attempt: LoginAttempts.Attempt
        do { attempt = try await attempts.begin(email: email, source: source) } catch let throttled as LoginAttempts.Throttled {
            throw Refusal.throttled(retryAfter: throttled.retryAfter)
        }
        let user = try await users.user(email: email)
        let matches = user?.password.matches(password) ?? PasswordHash.decoy.matches(password)
        guard let user, matches else { throw Refusal.invalidCredentials }
        try await attempts.succeeded(attempt)
        let session = UUID().uuidString.lowercased()
        let refreshToken = try await refreshTokens.issue(RefreshGrant(subject: user.email, session: session))
        return Session(accessToken: try issuer.token(for: user, session: session, now: now()), refreshToken: refreshToken)
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
        guard let session = rotated.grant.session else { throw Refusal.invalidToken }
        return Session(accessToken: try issuer.token(for: user, session: session, now: now()), refreshToken: rotated.token)
    }

    /// The seed's form: a still-valid access token for a new one in the same session, re-reading the user (a
    /// removed user gets none). Once the session is over (logout, or a reused refresh token), its access tokens renew
    /// nothing: each carries its session (`sid`), looked up here.
    public func refresh(accessToken: String) async throws -> Session {
        guard let (subject, session) = try? issuer.session(ofValid: accessToken, now: now()),
              try await !refreshTokens.isRevoked(session: session),
              let user = try await users.user(email: subject) else { throw Refusal.invalidToken }
        return Session(accessToken: try issuer.token(for: user, session: session, now: now()), refreshToken: nil)
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
