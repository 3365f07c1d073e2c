import JSON
import FoundationEssentials
@_spi(Gatehouse) import HTTP
import JWT
import Sessions
import AWS
import Storage

/// The dev Amazon Cognito user pool (SPEC §4), mounted at `/cognito`: the pool's JWKS and OpenID discovery under its
/// issuer, and `InitiateAuth` (`USER_PASSWORD_AUTH`, `REFRESH_TOKEN_AUTH`) and `RevokeToken` over Cognito's JSON
/// protocol, answered and refused as Cognito does. Its users are the dev users; its tokens carry Cognito's claims.
/// Like a pool with a pre-token-generation trigger, access tokens also hold the user's permissions as scopes.
///
/// As Cognito's, refresh tokens are opaque (random, stored only as digests, revocable), never a JWS an authorizer
/// could mistake for an access token, and wrong passwords lock the user out for a while ("Password attempts
/// exceeded") after `lockout.failures` of them.
struct CognitoUserPool: Sendable {
    /// `dev/identities.json` → `cognito`.
    struct Settings: Decodable, Sendable {
        var poolId: String
        /// App client ids (public clients: no secret).
        var appClients: [String]
    }

    static let lifetime = 3600.0
    static let refreshLifetime = 30 * 86_400.0
    static let mount = "/cognito"
    /// Cognito locks a user out after five failed sign-ins (the lockout then grows; here it is a 15-minute window).
    static let lockout = LoginAttempts.Limit(failures: 5, window: 900)

    let settings: Settings
    let issuer: String
    let users: [IdentityProvider.Identities.User]
    private let key: LocalSigningKey
    let refreshTokens: RefreshTokens
    let attempts: LoginAttempts
    /// The template's app clients (their managed-login settings), set once the template is read.
    var clients: [UserPoolClient] = []
    /// Managed login's sign-ins in progress and codes.
    let codes = AuthorizationCodes()

    /// The keys the pool signs with, as API Gateway's authorizers fetch them.
    var publicKeys: JWKSet { key.publicKeys }

    /// The pool of `settings` served by the stack at `base`, its key under `dataFolder`.
    init(settings: Settings, users: [IdentityProvider.Identities.User], base: String, dataFolder: String) throws {
        self.settings = settings
        self.users = users
        issuer = base + Self.mount + "/" + settings.poolId
        key = try LocalSigningKey(file: "cognito-signing-key.json", in: dataFolder, keyIDPrefix: "gatehouse-pool-")
        let sessions = try SQLiteTable(path: dataFolder + "/cognito.sqlite", name: "sessions", schema: .sessions)
        refreshTokens = RefreshTokens(table: sessions, lifetime: Self.refreshLifetime)
        attempts = LoginAttempts(table: sessions, perEmail: Self.lockout, perSource: Self.lockout)
    }

    /// Answers a request under `/cognito`; nil when the path is not the pool's.
    func respond(to request: HTTPRequest) async -> HTTPResponse? {
        let poolPath = Self.mount + "/" + settings.poolId
        switch (request.method, request.path) {
        case ("GET", poolPath + "/.well-known/jwks.json"):
            return HTTPResponse(status: .ok, headers: ["content-type": "application/json"], body: Array(key.jwks.utf8))
        case ("GET", poolPath + "/.well-known/openid-configuration"):
            return HTTPResponse(status: .ok, headers: ["content-type": "application/json"], body: Array(JSONValue.object([
                "issuer": .string(issuer), "jwks_uri": .string(issuer + "/.well-known/jwks.json"),
                "id_token_signing_alg_values_supported": ["RS256"], "subject_types_supported": ["public"],
                "response_types_supported": ["code", "token"],
                "authorization_endpoint": .string(managedLogin + "/oauth2/authorize"),
                "token_endpoint": .string(managedLogin + "/oauth2/token"),
                "userinfo_endpoint": .string(managedLogin + "/oauth2/userInfo"),
                "scopes_supported": ["openid", "email", "phone", "profile"],
                "code_challenge_methods_supported": ["S256"],
            ]).jsonText.utf8))
        case ("POST", Self.mount), ("POST", Self.mount + "/"):
            return await operation(request)
        case ("GET", Self.mount + "/oauth2/authorize"):
            return authorize(request)
        case ("POST", Self.mount + "/login"):
            return await signIn(request)
        case ("POST", Self.mount + "/oauth2/token"):
            return await token(request)
        case ("GET", Self.mount + "/oauth2/userInfo"):
            return userInfo(request)
        case ("GET", Self.mount + "/logout"):
            return logout(request)
        default:
            return request.path == Self.mount || request.path.hasPrefix(Self.mount + "/") ? .message(.notFound, "Not Found") : nil
        }
    }

    private func operation(_ request: HTTPRequest) async -> HTTPResponse {
        let operations = ["InitiateAuth", "RevokeToken", "GetTokensFromRefreshToken"].map { "AWSCognitoIdentityProviderService." + $0 }
        guard let target = request.header("x-amz-target"), operations.contains(target) else {
            return Self.error("UnknownOperationException",
                              "the dev user pool answers InitiateAuth, GetTokensFromRefreshToken and RevokeToken only")
        }
        guard let body = try? JSONValue.object(parsing: request.body) else {
            return Self.error("SerializationException", "the body is not a JSON object")
        }
        let members = EventMembers(body)
        if target == operations[1] { return await revoke(members) }
        if target == operations[2] { return await refreshed(members) }
        guard let clientID = try? members.string("ClientId"), let flow = try? members.string("AuthFlow"),
              let parameters = try? members.stringMap("AuthParameters") ?? [:] else {
            return Self.error("InvalidParameterException", "ClientId, AuthFlow and AuthParameters (strings) are required")
        }
        guard settings.appClients.contains(clientID) else {
            return Self.error("ResourceNotFoundException", "User pool client \(clientID.prefix(128)) does not exist.")
        }
        switch flow {
        case "USER_PASSWORD_AUTH":
            guard let username = parameters["USERNAME"] else { return Self.error("InvalidParameterException", "Missing required parameter USERNAME") }
            guard let password = parameters["PASSWORD"] else { return Self.error("InvalidParameterException", "Missing required parameter PASSWORD") }
            // Counted before the password is compared, so parallel guesses cannot pass the lockout.
            let attempt: LoginAttempts.Attempt
            do { attempt = try await attempts.begin(email: username, source: nil) } catch is LoginAttempts.Throttled {
                return Self.error("NotAuthorizedException", "Password attempts exceeded")
            } catch {
                return Self.error("InternalErrorException", "the dev pool could not count the attempt", status: .internalServerError)
            }
            // An unknown user and a wrong password get the same answer (Cognito's user existence errors prevention).
            guard let user = users.first(where: { $0.email == username.lowercased() }), constantTimeEqual(user.password, password) else {
                return Self.error("NotAuthorizedException", "Incorrect username or password.")
            }
            try? await attempts.succeeded(attempt)
            return await authenticated(user, clientID: clientID, refresh: true)
        case "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN":
            guard let token = parameters["REFRESH_TOKEN"] else {
                return Self.error("InvalidParameterException", "Missing required parameter REFRESH_TOKEN")
            }
            guard rotationGrace(of: clientID) == nil else {
                return Self.error("InvalidParameterException",
                                  "REFRESH_TOKEN_AUTH is not allowed for a client with refresh token rotation: use GetTokensFromRefreshToken")
            }
            guard let grant = try? await refreshTokens.grant(of: token), grant.clientID == clientID,
                  let user = users.first(where: { $0.email == grant.subject }) else {
                return Self.error("NotAuthorizedException", "Invalid Refresh Token")
            }
            return await authenticated(user, clientID: clientID, refresh: false)
        default:
            return Self.error("InvalidParameterException", "Initiate Auth method not supported.")
        }
    }

    /// `GetTokensFromRefreshToken`: new ID and access tokens; with the client's refresh token rotation, a new refresh
    /// token too, the one presented staying valid only for the client's retry grace.
    private func refreshed(_ members: EventMembers) async -> HTTPResponse {
        guard let token = try? members.string("RefreshToken"), let clientID = try? members.string("ClientId") else {
            return Self.error("InvalidParameterException", "RefreshToken and ClientId (strings) are required")
        }
        guard settings.appClients.contains(clientID) else {
            return Self.error("ResourceNotFoundException", "User pool client \(clientID.prefix(128)) does not exist.")
        }
        guard let (grant, next) = await refresh(token, clientID: clientID),
              let user = users.first(where: { $0.email == grant.subject }) else {
            return Self.error("NotAuthorizedException", "Invalid Refresh Token")
        }
        return await authenticated(user, clientID: clientID, refresh: false, rotated: next)
    }

    /// The grant of refresh token `token` of `clientID`, and its successor when the client rotates refresh tokens;
    /// nil for a token that is unknown, expired, revoked, spent, or another client's.
    func refresh(_ token: String, clientID: String) async -> (grant: RefreshGrant, next: String?)? {
        if let grace = rotationGrace(of: clientID) {
            guard let (grant, next) = try? await refreshTokens.rotate(token, retryGrace: grace), grant.clientID == clientID
            else { return nil }
            return (grant, next)
        }
        guard let grant = try? await refreshTokens.grant(of: token), grant.clientID == clientID else { return nil }
        return (grant, nil)
    }

    /// The retry grace of `clientID`'s refresh token rotation; nil when its refresh tokens do not rotate.
    func rotationGrace(of clientID: String) -> Double? {
        clients.first { $0.id == clientID }?.rotationGrace
    }

    /// `RevokeToken`: the refresh token (of that client) and the tokens refreshed with it stop working; as Cognito,
    /// an unknown token is no error.
    private func revoke(_ members: EventMembers) async -> HTTPResponse {
        guard let token = try? members.string("Token"), let clientID = try? members.string("ClientId") else {
            return Self.error("InvalidParameterException", "Token and ClientId (strings) are required")
        }
        guard settings.appClients.contains(clientID) else {
            return Self.error("ResourceNotFoundException", "User pool client \(clientID.prefix(128)) does not exist.")
        }
        if let grant = try? await refreshTokens.grant(of: token), grant.clientID != clientID {
            return Self.error("UnauthorizedException", "The token was not issued to this client.")
        }
        do { try await refreshTokens.revokeFamily(of: token) } catch {
            return Self.error("InternalErrorException", "the dev pool could not revoke", status: .internalServerError)
        }
        return Self.json(.ok, .object([:]))
    }

    /// Cognito's `AuthenticationResult` for `user` signing in through `clientID`; a refresh answer has no new
    /// refresh token, as Cognito's, unless the client rotates them (`rotated`, the successor).
    private func authenticated(_ user: IdentityProvider.Identities.User, clientID: String, refresh: Bool,
                               rotated: String? = nil) async -> HTTPResponse {
        var result: [String: JSONValue] = ["ExpiresIn": .number(Self.lifetime), "TokenType": "Bearer"]
        do {
            let scope = (["aws.cognito.signin.user.admin"] + user.permissions).joined(separator: " ")
            let tokens = try signedTokens(for: user, clientID: clientID, scope: scope, nonce: nil)
            result["AccessToken"] = .string(tokens.access)
            result["IdToken"] = .string(tokens.id)
            if refresh {
                result["RefreshToken"] = .string(try await refreshTokens.issue(RefreshGrant(subject: user.email, clientID: clientID)))
            }
            if let rotated { result["RefreshToken"] = .string(rotated) }
        } catch {
            return Self.error("InternalErrorException", "the dev pool could not sign or store", status: .internalServerError)
        }
        return Self.json(.ok, .object(["AuthenticationResult": .object(result), "ChallengeParameters": .object([:])]))
    }

    /// An access token granting `scope` and an ID token (with `nonce`) for `user` through `clientID`, with Cognito's
    /// claims.
    func signedTokens(for user: IdentityProvider.Identities.User, clientID: String, scope: String,
                      nonce: String?) throws -> (access: String, id: String) {
        let now = currentTime().rounded(.down)
        let subject = Self.subject(of: user.email)
        let session = UUID().uuidString.lowercased()
        var common: [String: JSONValue] = [
            "sub": .string(subject), "iss": .string(issuer), "origin_jti": .string(session), "event_id": .string(UUID().uuidString.lowercased()),
            "auth_time": .number(now), "iat": .number(now), "exp": .number(now + Self.lifetime),
        ]
        if let groups = user.groups, !groups.isEmpty { common["cognito:groups"] = .array(groups.map { .string($0) }) }
        var access = common, id = common
        access["token_use"] = "access"
        access["client_id"] = .string(clientID)
        access["username"] = .string(user.email)
        access["scope"] = .string(scope)
        access["jti"] = .string(UUID().uuidString.lowercased())
        id["token_use"] = "id"
        id["aud"] = .string(clientID)
        id["cognito:username"] = .string(user.email)
        id["email"] = .string(user.email)
        id["email_verified"] = .bool(true)
        id["jti"] = .string(UUID().uuidString.lowercased())
        if let name = user.claims["name"] { id["name"] = .string(name) }
        if let nonce { id["nonce"] = .string(nonce) }
        return (try key.signer.sign(access), try key.signer.sign(id))
    }

    /// A user's `sub`: a UUID, the same for the same email on every start.
    static func subject(of email: String) -> String {
        let hex = Array(SigV4.payloadHash(Array(("gatehouse-dev-pool:" + email).utf8)).prefix(32))
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(hex[$0]) }
        return groups.joined(separator: "-")
    }

    /// Cognito's error: its `__type` in the body and in `x-amzn-ErrorType`.
    private static func error(_ type: String, _ message: String, status: HTTPStatus = .badRequest) -> HTTPResponse {
        var response = json(status, .object(["__type": .string(type), "message": .string(message)]))
        response.headers["x-amzn-errortype"] = type + ":"
        return response
    }

    private static func json(_ status: HTTPStatus, _ value: JSONValue) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["content-type": "application/x-amz-json-1.1"], body: Array(value.jsonText.utf8))
    }
}
