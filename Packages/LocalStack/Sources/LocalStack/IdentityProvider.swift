import JSON
import FoundationEssentials
import Glibc
import HTTP
@_spi(Gatehouse) import JWT
import Sessions
import Storage

/// An Auth0-like OpenID provider for local work, mounted at `/idp`: discovery, JWKS (an RS256 key made once and kept
/// under the data folder), a hosted login page for the authorization code flow with PKCE (`HostedLogin`) and a token
/// endpoint with the `authorization_code`, `client_credentials`, `password` and `refresh_token` grants.
/// A password grant asking for `offline_access` also returns a refresh token; refresh tokens rotate on use and a
/// reused one revokes its family, as Auth0's rotation does.
struct IdentityProvider: Sendable {
    struct Identities: Decodable, Sendable {
        /// A confidential client (with a secret) or, where `public` is true, a public one such as the console.
        struct Client: Decodable, Sendable {
            var id: String
            var secret: String?
            var `public`: Bool?
            var permissions: [String]
            /// Where the code flow may send the browser back, exactly (`{port}`: the stack's port).
            var redirectUris: [String]?
        }
        struct User: Decodable, Sendable {
            var email: String
            var password: String
            var permissions: [String]
            var claims: [String: String]
            /// Cognito groups (the dev user pool's `cognito:groups`).
            var groups: [String]?
        }
        var audience: String
        var clients: [Client]
        var users: [User]
        /// The dev Cognito user pool.
        var cognito: CognitoUserPool.Settings?
        /// API keys REST methods with `ApiKeyRequired` accept.
        var apiKeys: [APIKey]?
        /// IAM users whose SigV4 signatures `AWS_IAM` routes accept.
        var iam: [IAMAuthorizer.Identity]?
    }

    let issuer: String
    let identities: Identities
    let signer: JWTSigner
    private let jwks: String
    /// The public signing key, as the gateway's JWT authorizer trusts it.
    let publicKeys: JWKSet
    let refreshTokens: RefreshTokens
    /// Auth0's brute-force protection: a user is blocked after 10 failed logins (here for 15 minutes), and an
    /// address after 100.
    let attempts: LoginAttempts
    /// The code flow's sign-ins in progress and codes.
    let codes = AuthorizationCodes()
    /// DPoP: the nonces proofs must carry, and the proofs seen.
    let dpopNonces = DPoPNonces()
    let seenProofs = DPoPReplayCache(lifetime: 65)
    static let lifetime = 86_400.0
    /// The claim a user's groups go in (a namespaced custom claim, as Auth0 writes them into access tokens).
    static let groupsClaim = "https://gatehouse.dev/groups"

    /// Loads `identitiesPath` and the signing key under `dataFolder` (creating it on first start).
    init(issuer: String, identitiesPath: String, dataFolder: String) throws {
        self.issuer = issuer
        identities = try configurationDocument(Identities.self, identitiesPath)
        let key = try LocalSigningKey(file: "idp-signing-key.json", in: dataFolder, keyIDPrefix: "gatehouse-dev-")
        (signer, jwks, publicKeys) = (key.signer, key.jwks, key.publicKeys)
        let sessions = try SQLiteTable(path: dataFolder + "/idp.sqlite", name: "sessions", schema: .sessions)
        refreshTokens = RefreshTokens(table: sessions)
        attempts = LoginAttempts(table: sessions, perEmail: .init(failures: 10, window: 900),
                                 perSource: .init(failures: 100, window: 900))
    }

    /// Answers a request under `/idp`; nil when the path is not the provider's.
    func respond(to request: HTTPRequest) async -> HTTPResponse? {
        switch (request.method, request.path) {
        case ("GET", "/idp/.well-known/openid-configuration"):
            return json(.ok, .object([
                "issuer": .string(issuer), "jwks_uri": .string(issuer + ".well-known/jwks.json"),
                "token_endpoint": .string(issuer + "oauth/token"), "authorization_endpoint": .string(issuer + "authorize"),
                "revocation_endpoint": .string(issuer + "oauth/revoke"),
                "grant_types_supported": ["authorization_code", "client_credentials", "password", "refresh_token"],
                "id_token_signing_alg_values_supported": ["RS256"], "code_challenge_methods_supported": ["S256"],
                "response_types_supported": ["code", "token"], "subject_types_supported": ["public"],
                "token_endpoint_auth_methods_supported": ["none", "client_secret_post"],
                "dpop_signing_alg_values_supported": .array(DPoP.algorithms.map { .string($0.rawValue) }),
            ]))
        case ("GET", "/idp/authorize"):
            return authorize(request)
        case ("POST", "/idp/authorize"):
            return await signIn(request)
        case ("GET", "/idp/.well-known/jwks.json"):
            return HTTPResponse(status: .ok, headers: ["content-type": "application/json"], body: Array(jwks.utf8))
        case ("POST", "/idp/oauth/token"):
            return await token(request)
        case ("POST", "/idp/oauth/revoke"):
            return await revoke(request)
        default:
            return request.path.hasPrefix("/idp/") ? .message(.notFound, "Not Found") : nil
        }
    }

    /// A token endpoint's fields: a JSON object of strings or a form; nil for a JSON body that is neither.
    private static func fields(of request: HTTPRequest) -> [String: String]? {
        guard request.header("content-type")?.lowercased().hasPrefix("application/json") == true else {
            return request.formFields().compactMapValues(\.first)
        }
        return try? JSONDecoder().decode([String: String].self, from: Data(request.body))
    }

    /// `POST /idp/oauth/revoke` (RFC 7009, as Auth0's `/oauth/revoke`): the client's refresh token and its whole family
    /// stop working (sign-out). `200` whether or not the token was known — the answer tells a caller nothing — and
    /// `401 invalid_client` for a client that does not authenticate; another client's token is left alone.
    private func revoke(_ request: HTTPRequest) async -> HTTPResponse {
        guard let fields = Self.fields(of: request), let token = fields["token"], let clientID = fields["client_id"] else {
            return oauthError(.badRequest, "invalid_request", "token and client_id are required")
        }
        guard authenticatedClient(clientID, secret: fields["client_secret"]) != nil else {
            return oauthError(.unauthorized, "invalid_client", "Unauthorized")
        }
        if let grant = try? await refreshTokens.grant(of: token), grant.clientID == clientID {
            try? await refreshTokens.revokeFamily(of: token)
        }
        return json(.ok, .object([:]))
    }

    private func token(_ request: HTTPRequest) async -> HTTPResponse {
        guard let fields = Self.fields(of: request) else {
            return oauthError(.badRequest, "invalid_request", "the body must be a JSON object of strings")
        }
        let audience = fields["audience"] ?? identities.audience
        guard audience == identities.audience else {
            return oauthError(.forbidden, "access_denied", "Service not found: \(audience.prefix(100))")
        }
        switch dpopBinding(of: request) {
        case .refused(let refusal): return refusal
        case .none: return await grant(fields, audience: audience, request)
        case .key(let key):
            var response = await Self.$boundKey.withValue(key) { await grant(fields, audience: audience, request) }
            response.headers["dpop-nonce"] = dpopNonces.current(now: currentTime())  // for the client's next proofs
            return response
        }
    }

    /// The grant `fields` name, its tokens for `audience` (bound to `boundKey` when the request carried a DPoP proof).
    private func grant(_ fields: [String: String], audience: String, _ request: HTTPRequest) async -> HTTPResponse {
        switch fields["grant_type"] {
        case "authorization_code":
            return await redeemCode(fields)
        case "client_credentials":
            guard let id = fields["client_id"], let secret = fields["client_secret"] else {
                return oauthError(.badRequest, "invalid_request", "client_id and client_secret are required")
            }
            guard let client = authenticatedClient(id, secret: secret), client.public != true else {
                return oauthError(.unauthorized, "invalid_client", "Unauthorized")
            }
            return issue(subject: "\(client.id)@clients", clientID: client.id, scopes: client.permissions, audience: audience,
                         extra: ["gty": "client-credentials"])
        case "password":
            guard let username = fields["username"], let password = fields["password"], let clientID = fields["client_id"]
            else { return oauthError(.badRequest, "invalid_request", "username, password and client_id are required") }
            // As Auth0: a confidential client proves itself with its secret; only a declared public client needs none.
            guard authenticatedClient(clientID, secret: fields["client_secret"]) != nil else {
                return oauthError(.unauthorized, "invalid_client", "Unauthorized")
            }
            // Counted before the password is compared, so parallel guesses cannot pass the limit.
            let attempt: LoginAttempts.Attempt
            do { attempt = try await attempts.begin(email: username, source: request.sourceIP) } catch is LoginAttempts.Throttled {
                return oauthError(.tooManyRequests, "too_many_attempts",
                                  "Your account has been blocked after multiple consecutive login attempts.")
            } catch {
                return .message(.internalServerError, "Internal Server Error")
            }
            guard let user = identities.users.first(where: { $0.email == username.lowercased() }),
                  constantTimeEqual(user.password, password) else {
                return oauthError(.forbidden, "access_denied", "Wrong email or password.")
            }
            try? await attempts.succeeded(attempt)
            let requested = fields["scope"] ?? ""
            var refreshToken: String?
            if requested.split(separator: " ").contains("offline_access") {
                refreshToken = try? await refreshTokens.issue(RefreshGrant(subject: user.email, clientID: clientID, scope: requested,
                                                                           boundKey: boundRefreshKey(for: clientID)))
                guard refreshToken != nil else { return .message(.internalServerError, "Internal Server Error") }
            }
            return issue(for: user, clientID: clientID, requested: requested, audience: audience, grant: "password",
                         refreshToken: refreshToken)
        case "refresh_token":
            guard let presented = fields["refresh_token"], let clientID = fields["client_id"] else {
                return oauthError(.badRequest, "invalid_request", "refresh_token and client_id are required")
            }
            guard authenticatedClient(clientID, secret: fields["client_secret"]) != nil else {
                return oauthError(.unauthorized, "invalid_client", "Unauthorized")
            }
            guard let (grant, next) = try? await refreshTokens.rotate(presented), grant.clientID == clientID,
                  let user = identities.users.first(where: { $0.email == grant.subject }) else {
                // Another client's token, or its user gone: that family ends here.
                try? await refreshTokens.revokeFamily(of: presented)
                return oauthError(.forbidden, "invalid_grant", "Unknown or invalid refresh token.")
            }
            // A family bound to a DPoP key refreshes only with a proof from that key: a copied refresh token alone
            // is worthless, and its family ends.
            if let key = grant.boundKey, key != Self.boundKey {
                try? await refreshTokens.revokeFamily(of: presented)
                return oauthError(.badRequest, "invalid_dpop_proof", "the refresh token is bound to another DPoP key")
            }
            return issue(for: user, clientID: clientID, requested: grant.scope ?? "", audience: audience, grant: "password",
                         refreshToken: next)
        default:
            return oauthError(.badRequest, "unsupported_grant_type",
                              "grant_type must be authorization_code, client_credentials, password or refresh_token")
        }
    }

    /// The key a public client's new refresh token family is bound to: the request's DPoP key (RFC 9449 §5);
    /// a confidential client's tokens are bound by its secret instead.
    func boundRefreshKey(for clientID: String) -> String? {
        identities.clients.first { $0.id == clientID }?.public == true ? Self.boundKey : nil
    }

    /// A user's token: as Auth0, the requested scopes the user holds now, and no scope claim when none; `grant`
    /// names a grant Auth0 marks (`gty`), and `idToken` rides along when the code flow asked `openid`.
    func issue(for user: Identities.User, clientID: String, requested: String, audience: String, grant: String?,
               refreshToken: String?, idToken: String? = nil) -> HTTPResponse {
        let granted = requested.split(separator: " ").map(String.init).filter(user.permissions.contains)
        var extra: [String: JSONValue] = ["email": .string(user.email)]
        if let grant { extra["gty"] = .string(grant) }
        for (name, value) in user.claims { extra[name] = .string(value) }
        if let groups = user.groups, !groups.isEmpty { extra[Self.groupsClaim] = .array(groups.map { .string($0) }) }
        return issue(subject: "auth0|\(user.email)", clientID: clientID, scopes: granted, audience: audience, extra: extra,
                     refreshToken: refreshToken, idToken: idToken)
    }

    private func issue(subject: String, clientID: String, scopes: [String], audience: String,
                       extra: [String: JSONValue], refreshToken: String? = nil, idToken: String? = nil) -> HTTPResponse {
        let now = currentTime().rounded(.down)
        var claims: [String: JSONValue] = ["iss": .string(issuer), "sub": .string(subject), "aud": .string(audience),
                                           "iat": .number(now), "exp": .number(now + Self.lifetime), "azp": .string(clientID)]
        claims.merge(extra) { own, _ in own }
        if !scopes.isEmpty { claims["scope"] = .string(scopes.joined(separator: " ")) }
        if let key = Self.boundKey { claims["cnf"] = .object(["jkt": .string(key)]) }
        guard let token = try? signer.sign(claims) else { return .message(.internalServerError, "Internal Server Error") }
        var answer: [String: JSONValue] = ["access_token": .string(token), "token_type": Self.boundKey == nil ? "Bearer" : "DPoP",
                                           "expires_in": .number(Self.lifetime), "scope": .string(scopes.joined(separator: " "))]
        if let refreshToken { answer["refresh_token"] = .string(refreshToken) }
        if let idToken { answer["id_token"] = .string(idToken) }
        return json(.ok, .object(answer))
    }

    func oauthError(_ status: HTTPStatus, _ error: String, _ description: String) -> HTTPResponse {
        json(status, .object(["error": .string(error), "error_description": .string(description)]))
    }

    private func json(_ status: HTTPStatus, _ value: JSONValue) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["content-type": "application/json", "cache-control": "no-store"],
                     body: Array(value.jsonText.utf8))
    }

    /// The client `id` when `secret` is its secret, or when it is a public client and no secret was sent.
    func authenticatedClient(_ id: String, secret: String?) -> Identities.Client? {
        guard let client = identities.clients.first(where: { $0.id == id }) else { return nil }
        if client.public == true { return secret == nil ? client : nil }
        guard let expected = client.secret, let secret, constantTimeEqual(expected, secret) else { return nil }
        return client
    }
}

/// Whether `a` and `b` are equal, in time that depends on their lengths only (secrets, signatures).
func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    var difference = UInt8(x.count == y.count ? 0 : 1)
    for index in 0..<max(x.count, y.count) {
        difference |= (index < x.count ? x[index] : 0) ^ (index < y.count ? y[index] : 0)
    }
    return difference == 0
}
