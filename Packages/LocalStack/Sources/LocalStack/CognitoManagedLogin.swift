import FoundationEssentials
import HTTP
import JSON
@_spi(Gatehouse) import JWT
import Sessions

/// The dev pool's managed login (Cognito's hosted sign-in pages on the pool's domain; here under `/cognito`): the
/// authorization code flow with PKCE for the template's app clients — their `CallbackURLs`, `LogoutURLs` and
/// `AllowedOAuthScopes` — and the OAuth endpoints `/oauth2/token` and `/oauth2/userInfo`, answered as Cognito answers.
/// One difference, on the safe side and said in the refusal: the dev pool requires PKCE, which Cognito leaves to
/// the client.
extension CognitoUserPool {
    static let loginPage = HostedLoginPage(action: mount + "/login", cookie: "gatehouse_pool_csrf", cookiePath: mount + "/",
                                           note: "The dev user pool's managed login: the application never sees your password.")

    /// The managed login's base URL (on AWS, the pool's domain).
    var managedLogin: String { String(issuer.dropLast(settings.poolId.count + 1)) }

    /// The app client `id`, when the pool has it and the template enables the code flow for it.
    private func codeFlowClient(_ id: String?) -> UserPoolClient? {
        guard let id, settings.appClients.contains(id) else { return nil }
        return clients.first { $0.id == id && $0.codeFlow }
    }

    /// `GET /oauth2/authorize`: the sign-in page, or — the client and callback URL known — a redirect with the error;
    /// an unknown client or a callback URL it did not register gets a page and no redirect (`redirect_mismatch`).
    func authorize(_ request: HTTPRequest) -> HTTPResponse {
        func parameter(_ name: String) -> String? { request.query[name]?.first }
        guard let client = codeFlowClient(parameter("client_id")), let redirectURI = parameter("redirect_uri"),
              client.callbackURLs.contains(redirectURI) else {
            return Self.loginPage.page(.badRequest, title: "redirect_mismatch",
                                       message: "The app client is unknown, does not use the code flow, or asked to return to a URL it did not register.")
        }
        let state = parameter("state")
        func refuse(_ error: String, _ description: String) -> HTTPResponse {
            HostedLoginPage.redirect(to: redirectURI, ["error": error, "error_description": description, "state": state])
        }
        guard parameter("response_type") == "code" else { return refuse("unsupported_response_type", "response_type must be code") }
        let scopes = (parameter("scope") ?? client.scopes.joined(separator: " ")).split(separator: " ").map(String.init)
        guard scopes.allSatisfy(client.scopes.contains) else { return refuse("invalid_scope", "a scope the client is not allowed") }
        guard let challenge = parameter("code_challenge"), PKCE.isWellFormed(challenge),
              parameter("code_challenge_method") == "S256" else {
            return refuse("invalid_request", "the dev pool requires PKCE: a code_challenge with code_challenge_method S256")
        }
        let asked = AuthorizationCodes.Request(clientID: client.id, redirectURI: redirectURI, state: state, challenge: challenge,
                                               scope: scopes.joined(separator: " "), nonce: parameter("nonce"), audience: "")
        guard let (id, csrf) = codes.begin(asked, now: currentTime()) else { return refuse("server_error", "too many sign-ins") }
        return Self.loginPage.form(id: id, csrf: csrf, request: asked, status: .ok, problem: nil)
    }

    /// `POST /login`: the sign-in form posted.
    func signIn(_ request: HTTPRequest) async -> HTTPResponse {
        await Self.loginPage.signIn(request, codes: codes, users: users, attempts: attempts)
    }

    /// `POST /oauth2/token` (a form, as Cognito requires): `authorization_code` with the verifier — access, ID and
    /// refresh tokens — or `refresh_token` — access and ID tokens, and a new refresh token when the client rotates them.
    func token(_ request: HTTPRequest) async -> HTTPResponse {
        guard request.header("content-type")?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else {
            return Self.oauthError("invalid_request", "the body must be application/x-www-form-urlencoded")
        }
        let fields = request.formFields().compactMapValues(\.first)
        guard let client = codeFlowClient(fields["client_id"]) else { return Self.oauthError("invalid_client", nil) }
        switch fields["grant_type"] {
        case "authorization_code":
            guard let code = fields["code"], let redirectURI = fields["redirect_uri"], let verifier = fields["code_verifier"] else {
                return Self.oauthError("invalid_request", "code, redirect_uri and code_verifier are required")
            }
            let redeemed: (request: AuthorizationCodes.Request, subject: String)
            switch codes.redeem(code, clientID: client.id, redirectURI: redirectURI, verifier: verifier, now: currentTime()) {
            case .success(let found): redeemed = found
            case .failure(.reused(let refreshToken)):
                if let refreshToken { try? await refreshTokens.revokeFamily(of: refreshToken) }
                return Self.oauthError("invalid_grant", nil)
            case .failure(.invalid):
                return Self.oauthError("invalid_grant", nil)
            }
            guard let user = users.first(where: { $0.email == redeemed.subject }) else { return Self.oauthError("invalid_grant", nil) }
            let scope = redeemed.request.scope
            guard let tokens = try? signedTokens(for: user, clientID: client.id, scope: scope, nonce: redeemed.request.nonce),
                  let refresh = try? await refreshTokens.issue(RefreshGrant(subject: user.email, clientID: client.id, scope: scope))
            else { return .message(.internalServerError, "Internal Server Error") }
            codes.recordIssued(refresh, for: code)
            return Self.tokens(tokens, refresh: refresh)
        case "refresh_token":
            guard let token = fields["refresh_token"], let (grant, next) = await refresh(token, clientID: client.id),
                  let user = users.first(where: { $0.email == grant.subject }),
                  let tokens = try? signedTokens(for: user, clientID: client.id, scope: grant.scope ?? "", nonce: nil)
            else { return Self.oauthError("invalid_grant", nil) }
            return Self.tokens(tokens, refresh: next)
        default:
            return Self.oauthError("unsupported_grant_type", nil)
        }
    }

    /// `GET /oauth2/userInfo`: the user's attributes for a valid access token of the pool.
    func userInfo(_ request: HTTPRequest) -> HTTPResponse {
        let header = request.header("authorization") ?? ""
        let token = header.lowercased().hasPrefix("bearer ") ? String(header.dropFirst(7)) : ""
        let policy = ClaimsPolicy.cognito(issuer: issuer, clientIDs: Set(settings.appClients), tokenUse: "access")
        guard let claims = try? JWTVerifier(keys: publicKeys, policy: policy).verify(token).claims,
              let username = claims["username"]?.stringValue else {
            var refused = HTTPResponse(status: .unauthorized, headers: ["content-type": "application/json"],
                                       body: Array(#"{"error":"invalid_token","error_description":"Access token is not valid"}"#.utf8))
            refused.headers["www-authenticate"] = #"Bearer error="invalid_token""#
            return refused
        }
        let body = JSONValue.object(["sub": .string(claims.subject ?? ""), "email": .string(username),
                                     "email_verified": "true", "username": .string(username)])
        return HTTPResponse(status: .ok, headers: ["content-type": "application/json"], body: Array(body.jsonText.utf8))
    }

    /// `GET /logout?client_id=…&logout_uri=…`: back to a sign-out URL the client registered; else a page.
    func logout(_ request: HTTPRequest) -> HTTPResponse {
        guard let client = codeFlowClient(request.query["client_id"]?.first), let target = request.query["logout_uri"]?.first,
              client.logoutURLs.contains(target) else {
            return Self.loginPage.page(.badRequest, title: "Sign-out cannot continue",
                                       message: "The app client is unknown, or logout_uri is not one of its sign-out URLs.")
        }
        var response = HTTPResponse(status: .found, headers: ["location": target, "cache-control": "no-store"])
        response.headers["set-cookie"] = Self.loginPage.clearedCookie
        return response
    }

    private static func tokens(_ tokens: (access: String, id: String), refresh: String?) -> HTTPResponse {
        var body: [String: JSONValue] = ["access_token": .string(tokens.access), "id_token": .string(tokens.id),
                                         "token_type": "Bearer", "expires_in": .number(lifetime)]
        if let refresh { body["refresh_token"] = .string(refresh) }
        return HTTPResponse(status: .ok, headers: ["content-type": "application/json", "cache-control": "no-store"],
                            body: Array(JSONValue.object(body).jsonText.utf8))
    }

    /// An OAuth error as Cognito's token endpoint gives it: `400 {"error":…}` (`invalid_client` is 401).
    private static func oauthError(_ error: String, _ description: String?) -> HTTPResponse {
        var body: [String: JSONValue] = ["error": .string(error)]
        if let description { body["error_description"] = .string(description) }
        return HTTPResponse(status: error == "invalid_client" ? .unauthorized : .badRequest,
                            headers: ["content-type": "application/json", "cache-control": "no-store"],
                            body: Array(JSONValue.object(body).jsonText.utf8))
    }
}
