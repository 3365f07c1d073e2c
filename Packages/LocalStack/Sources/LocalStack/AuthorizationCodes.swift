@_spi(Gatehouse) import JWT
import Synchronization
import Transport

/// The state of the dev identity provider's authorization code flow (RFC 6749 §4.1 with PKCE, RFC 7636), in memory:
/// sign-ins in progress (the hosted login page shown, not yet posted) and the codes they yield. A code is short-lived
/// (60 s), bound to its client, redirect URI and PKCE challenge, and redeemed once; presented again, it names the
/// refresh token its first redemption issued, so the provider can revoke what the first use obtained (§4.1.2).
final class AuthorizationCodes: Sendable {
    /// What an authorization request asked, kept from the login page to the code and the token.
    struct Request: Sendable, Equatable {
        let clientID: String
        let redirectURI: String
        let state: String?
        let challenge: String
        let scope: String
        let nonce: String?
        let audience: String
    }

    /// Why a code cannot be redeemed.
    enum Refusal: Error, Equatable {
        /// Unknown, expired, or presented with another client, redirect URI or verifier.
        case invalid(String)
        /// Redeemed before; what that redemption issued (a refresh token) must be revoked.
        case reused(refreshToken: String?)
    }

    private struct SignIn {
        let request: Request
        let csrf: String
        let expires: Double
    }

    private struct Code {
        let request: Request
        let subject: String
        let expires: Double
        var redeemed = false
        var refreshToken: String?
    }

    static let codeLifetime = 60.0, signInLifetime = 600.0
    /// At most this many sign-ins and codes are held; beyond it new ones are refused until old ones expire.
    static let capacity = 10_000

    private let signIns = Mutex<[String: SignIn]>([:])
    private let codes = Mutex<[String: Code]>([:])

    /// A sign-in for `request`: its id (the login form's hidden field) and CSRF token (the form's and the cookie's);
    /// nil when too many are in progress.
    func begin(_ request: Request, now: Double) -> (id: String, csrf: String)? {
        let id = PKCE.randomToken(), csrf = PKCE.randomToken()
        let stored: Bool = signIns.withLock { signIns in
            signIns = signIns.filter { $0.value.expires > now }
            guard signIns.count < Self.capacity else { return false }
            signIns[id] = SignIn(request: request, csrf: csrf, expires: now + Self.signInLifetime)
            return true
        }
        return stored ? (id, csrf) : nil
    }

    /// The request of sign-in `id` when `csrf` (the form's) and `cookie` (the browser's) are both its token.
    func signIn(_ id: String, csrf: String, cookie: String?, now: Double) -> Request? {
        signIns.withLock { signIns in
            guard let signIn = signIns[id], signIn.expires > now, let cookie,
                  constantTimeEqual(signIn.csrf, csrf), constantTimeEqual(signIn.csrf, cookie) else { return nil }
            return signIn.request
        }
    }

    /// Ends sign-in `id` (its user signed in): a code for `subject`, nil when too many codes are outstanding.
    func issue(forSignIn id: String, subject: String, now: Double) -> String? {
        guard let request = signIns.withLock({ $0.removeValue(forKey: id)?.request }) else { return nil }
        let code = PKCE.randomToken()
        return codes.withLock { codes in
            codes = codes.filter { $0.value.expires > now || $0.value.redeemed && $0.value.expires + 3600 > now }
            guard codes.count < Self.capacity else { return nil }
            codes[code] = Code(request: request, subject: subject, expires: now + Self.codeLifetime)
            return code
        }
    }

    /// Redeems `code` for the client, redirect URI and verifier presented: its request and subject. A code is spent
    /// by its first presentation, right or wrong, so a verifier cannot be guessed at.
    func redeem(_ code: String, clientID: String, redirectURI: String, verifier: String,
                now: Double) -> Result<(request: Request, subject: String), Refusal> {
        codes.withLock { codes in
            guard var entry = codes[code] else { return .failure(.invalid("Invalid authorization code")) }
            if entry.redeemed { return .failure(.reused(refreshToken: entry.refreshToken)) }
            entry.redeemed = true
            codes[code] = entry
            guard entry.expires > now else { return .failure(.invalid("Invalid authorization code")) }
            guard entry.request.clientID == clientID else { return .failure(.invalid("the code was issued to another client")) }
            guard entry.request.redirectURI == redirectURI else {
                return .failure(.invalid("redirect_uri is not the one the code was issued for"))
            }
            guard PKCE.isWellFormed(verifier), constantTimeEqual(PKCE.challenge(forVerifier: verifier), entry.request.challenge)
            else { return .failure(.invalid("Failed to verify code verifier")) }
            return .success((entry.request, entry.subject))
        }
    }

    /// Records the refresh token the redemption of `code` issued, to revoke should the code come back.
    func recordIssued(_ refreshToken: String, for code: String) {
        codes.withLock { $0[code]?.refreshToken = refreshToken }
    }
}
