import AWS
import FoundationEssentials
import HTTP
import JSON
import JWT
import Sessions

/// The dev identity provider's hosted login (`/idp/authorize`), as Auth0's Universal Login and Cognito's managed
/// login serve it: the app sends the browser here with a PKCE challenge, the user types the password into the
/// provider's page (the app never sees it), and the browser comes back to a registered redirect URI with a one-time
/// code the app redeems with its verifier at the token endpoint.
extension IdentityProvider {
    /// The CSRF cookie of the login form: the form's hidden token must equal it (and the sign-in's own).
    static let csrfCookie = "gatehouse_idp_csrf"

    /// `GET /idp/authorize`: the login page, or — the client and redirect URI known — a redirect with the error
    /// (RFC 6749 §4.1.2.1); an unknown client or unregistered redirect URI gets a page and no redirect.
    func authorize(_ request: HTTPRequest) -> HTTPResponse {
        func parameter(_ name: String) -> String? { request.query[name]?.first }
        guard let clientID = parameter("client_id"), let client = identities.clients.first(where: { $0.id == clientID }),
              let redirectURI = parameter("redirect_uri"), redirectURIs(of: client).contains(redirectURI) else {
            return page(.badRequest, title: "This sign-in cannot continue",
                        message: "The application is not registered here, or it asked to return to an address it did not register.")
        }
        let state = parameter("state")
        func refuse(_ error: String, _ description: String) -> HTTPResponse {
            redirect(to: redirectURI, ["error": error, "error_description": description, "state": state])
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
        return loginForm(id: id, csrf: csrf, request: asked, status: .ok, problem: nil)
    }

    /// `POST /idp/authorize`: the login form posted. A right password ends the sign-in with a redirect carrying the
    /// code and the state; a wrong one shows the form again.
    func signIn(_ request: HTTPRequest) async -> HTTPResponse {
        let fields = request.formFields().compactMapValues(\.first)
        let now = currentTime()
        guard let id = fields["transaction"], let csrf = fields["csrf"],
              let asked = codes.signIn(id, csrf: csrf, cookie: request.cookie(Self.csrfCookie), now: now) else {
            return page(.forbidden, title: "This sign-in cannot continue",
                        message: "The sign-in expired or was not started by this browser. Start again from the application.")
        }
        let username = (fields["username"] ?? "").lowercased(), password = fields["password"] ?? ""
        let attempt: LoginAttempts.Attempt
        do { attempt = try await attempts.begin(email: username, source: request.sourceIP) } catch is LoginAttempts.Throttled {
            return loginForm(id: id, csrf: csrf, request: asked, status: .tooManyRequests,
                             problem: "Your account has been blocked after multiple consecutive login attempts.")
        } catch {
            return .message(.internalServerError, "Internal Server Error")
        }
        guard let user = identities.users.first(where: { $0.email == username }), constantTimeEqual(user.password, password) else {
            return loginForm(id: id, csrf: csrf, request: asked, status: .unauthorized, problem: "Wrong email or password.")
        }
        try? await attempts.succeeded(attempt)
        guard let code = codes.issue(forSignIn: id, subject: user.email, now: now) else {
            return redirect(to: asked.redirectURI, ["error": "temporarily_unavailable", "state": asked.state])
        }
        var response = redirect(to: asked.redirectURI, ["code": code, "state": asked.state])
        response.headers["set-cookie"] = "\(Self.csrfCookie)=; Path=/idp/; Max-Age=0; HttpOnly; SameSite=Strict"
        return response
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

    private func redirect(to uri: String, _ parameters: [String: String?]) -> HTTPResponse {
        let query = parameters.compactMapValues { $0 }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\(SigV4.uriEncode($0.value))" }.joined(separator: "&")
        return HTTPResponse(status: HTTPStatus(rawValue: 302),
                            headers: ["location": uri + (uri.contains("?") ? "&" : "?") + query, "cache-control": "no-store"])
    }

    /// The login form for sign-in `id`: the fields `username` and `password`, the sign-in and its CSRF token hidden,
    /// and the cookie holding the same token.
    private func loginForm(id: String, csrf: String, request: AuthorizationCodes.Request, status: HTTPStatus,
                           problem: String?) -> HTTPResponse {
        let scopes = request.scope.split(separator: " ").map { "<li>\(Self.escaped(String($0)))</li>" }.joined()
        let body = """
            <p><b>\(Self.escaped(request.clientID))</b> asks you to sign in\(scopes.isEmpty ? "." : ", for:")</p>
            \(scopes.isEmpty ? "" : "<ul>\(scopes)</ul>")
            \(problem.map { "<p class=\"problem\" role=\"alert\">\(Self.escaped($0))</p>" } ?? "")
            <form method="post" action="/idp/authorize">
              <input type="hidden" name="transaction" value="\(id)">
              <input type="hidden" name="csrf" value="\(csrf)">
              <label>Email <input name="username" type="email" autocomplete="username" required autofocus></label>
              <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
              <button type="submit">Sign in</button>
            </form>
            <p class="note">The dev identity provider: the application never sees your password.</p>
            """
        var response = page(status, title: "Sign in", message: nil, body: body)
        response.headers["set-cookie"] = "\(Self.csrfCookie)=\(csrf); Path=/idp/; HttpOnly; SameSite=Strict"
        return response
    }

    /// A page of the provider: no script at all, not framable, posting only to itself.
    private func page(_ status: HTTPStatus, title: String, message: String?, body: String = "") -> HTTPResponse {
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(Self.escaped(title))</title>
            <style>body{font:15px/1.5 system-ui,sans-serif;max-width:24rem;margin:3rem auto;color:#222}
            label{display:block;margin:.6rem 0}input{display:block;width:100%;font:inherit;padding:.3rem}
            .problem{color:#b3261e}.note{color:#666;font-size:13px}</style></head>
            <body><h1>\(Self.escaped(title))</h1>\(message.map { "<p>\(Self.escaped($0))</p>" } ?? "")\(body)</body></html>
            """
        return HTTPResponse(status: status, headers: [
            "content-type": "text/html; charset=utf-8", "cache-control": "no-store",
            "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
            "x-frame-options": "DENY", "referrer-policy": "no-referrer",
        ], body: Array(html.utf8))
    }

    /// `text` safe inside HTML text and attribute values.
    static func escaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
