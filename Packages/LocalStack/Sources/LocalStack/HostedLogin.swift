import AWS
import FoundationEssentials
import HTTP
import JSON
@_spi(Gatehouse) import JWT
import Sessions

/// The dev identity provider's hosted login (`/idp/authorize`), as Auth0's Universal Login and Cognito's managed
/// login serve it: the app sends the browser here with a PKCE challenge, the user types the password into the
/// provider's page (the app never sees it), and the browser comes back to a registered redirect URI with a one-time
/// code the app redeems with its verifier at the token endpoint.
extension IdentityProvider {
    /// The provider's hosted login page: its form posts to `/idp/authorize`, its CSRF cookie lives under `/idp/`.
    static let loginPage = HostedLoginPage(action: "/idp/authorize", cookie: "gatehouse_idp_csrf", cookiePath: "/idp/",
                                           note: "The dev identity provider: the application never sees your password.")

    /// `GET /idp/authorize`: the login page, or — the client and redirect URI known — a redirect with the error
    /// (RFC 6749 §4.1.2.1); an unknown client or unregistered redirect URI gets a page and no redirect.
    func authorize(_ request: HTTPRequest) -> HTTPResponse {
        func parameter(_ name: String) -> String? { request.query[name]?.first }
        guard let clientID = parameter("client_id"), let client = identities.clients.first(where: { $0.id == clientID }),
              let redirectURI = parameter("redirect_uri"), redirectURIs(of: client).contains(redirectURI) else {
            return Self.loginPage.page(.badRequest, title: "This sign-in cannot continue",
                        message: "The application is not registered here, or it asked to return to an address it did not register.")
        }
        let state = parameter("state")
        func refuse(_ error: String, _ description: String) -> HTTPResponse {
            HostedLoginPage.redirect(to: redirectURI, ["error": error, "error_description": description, "state": state])
        }
        guard parameter("response_type") == "code" else { return refuse("unsupported_response_type", "response_type must be code") }
        guard let challenge = parameter("code_challenge"), PKCE.isWellFormed(challenge),
              parameter("code_challenge_method") == "S256" else {
            return refuse("invalid_request", "a code_challenge with code_challenge_method S256 is required (PKCE)")
        }
        let audience = parameter("audience") ?? identities.audience
        guard audience == identities.audience else { return refuse("access_denied", "Service not found: \(audience.prefix(100))") }
        let asked = AuthorizationCodes.Request(clientID: clientID, redirectURI: redirectURI, state: state, challenge: challenge,
                                               scope: parameter("scope") ?? "", nonce: parameter("nonce"), audience: audience)
        guard let (id, csrf) = codes.begin(asked, now: currentTime()) else {
            return refuse("temporarily_unavailable", "too many sign-ins in progress")
        }
        return Self.loginPage.form(id: id, csrf: csrf, request: asked, status: .ok, problem: nil)
    }

    /// `POST /idp/authorize`: the login form posted. A right password ends the sign-in with a redirect carrying the
    /// code and the state; a wrong one shows the form again.
    func signIn(_ request: HTTPRequest) async -> HTTPResponse {
        await Self.loginPage.signIn(request, codes: codes, users: identities.users, attempts: attempts)
    }

    /// `grant_type=authorization_code`: the code redeemed with the client's verifier — tokens for the user who signed
    /// in, the scopes asked that the user holds; an ID token when `openid` was asked; a refresh token (rotating)
    /// for `offline_access`. A code presented twice revokes what its first redemption issued.
    func redeemCode(_ fields: [String: String]) async -> HTTPResponse {
        guard let code = fields["code"], let clientID = fields["client_id"], let redirectURI = fields["redirect_uri"],
              let verifier = fields["code_verifier"] else {
            return oauthError(.badRequest, "invalid_request", "code, client_id, redirect_uri and code_verifier are required")
        }
        guard authenticatedClient(clientID, secret: fields["client_secret"]) != nil else {
            return oauthError(.unauthorized, "invalid_client", "Unauthorized")
        }
        let redeemed: (request: AuthorizationCodes.Request, subject: String)
        switch codes.redeem(code, clientID: clientID, redirectURI: redirectURI, verifier: verifier, now: currentTime()) {
        case .success(let found): redeemed = found
        case .failure(.reused(let refreshToken)):
            if let refreshToken { try? await refreshTokens.revokeFamily(of: refreshToken) }
            return oauthError(.badRequest, "invalid_grant", "Invalid authorization code")
        case .failure(.invalid(let reason)):
            return oauthError(.badRequest, "invalid_grant", reason)
        }
        guard let user = identities.users.first(where: { $0.email == redeemed.subject }) else {
            return oauthError(.badRequest, "invalid_grant", "Invalid authorization code")
        }
        let asked = redeemed.request
        var refreshToken: String?
        if asked.scope.split(separator: " ").contains("offline_access") {
            refreshToken = try? await refreshTokens.issue(RefreshGrant(subject: user.email, clientID: clientID, scope: asked.scope,
                                                                       boundKey: boundRefreshKey(for: clientID)))
            guard let refreshToken else { return .message(.internalServerError, "Internal Server Error") }
            codes.recordIssued(refreshToken, for: code)
        }
        // SPEC §4: the access token's scope is the requested scopes the user holds (`openid` asks for the ID token).
        let idToken = asked.scope.split(separator: " ").contains("openid") ? idToken(for: user, request: asked) : nil
        return issue(for: user, clientID: clientID, requested: asked.scope, audience: asked.audience, grant: nil,
                     refreshToken: refreshToken, idToken: idToken)
    }

    /// An OpenID Connect ID token: for the client, with the request's nonce and the user's profile claims.
    private func idToken(for user: Identities.User, request: AuthorizationCodes.Request) -> String? {
        let now = currentTime().rounded(.down)
        var claims: [String: JSONValue] = ["iss": .string(issuer), "sub": .string("auth0|\(user.email)"),
                                           "aud": .string(request.clientID), "iat": .number(now),
                                           "exp": .number(now + Self.lifetime), "email": .string(user.email)]
        for (name, value) in user.claims where claims[name] == nil { claims[name] = .string(value) }
        if let nonce = request.nonce { claims["nonce"] = .string(nonce) }
        return try? signer.sign(claims)
    }

    /// The redirect URIs `client` registered, `{port}` being this provider's port.
    func redirectURIs(of client: Identities.Client) -> [String] {
        let port = issuer.split(separator: ":").last.map { String($0.prefix { $0.isNumber }) } ?? ""
        return (client.redirectUris ?? []).map { $0.replacing("{port}", with: port) }
    }
}
