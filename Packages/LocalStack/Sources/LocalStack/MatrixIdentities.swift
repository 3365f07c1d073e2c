import FoundationEssentials
import JWT
import TransportClient

/// The callers the authorization matrix tries, each with the token it presents: nobody, every dev client and every
/// dev user (from the identity provider), a login of the `auth` app, and two tokens every authorizer must refuse:
/// an expired one and one for another audience (both signed with the dev provider's own key); then the first dev
/// user signed in to the dev Cognito user pool (its ID token); last, every dev IAM identity, which signs its requests
/// with SigV4 instead of sending a token.
struct MatrixIdentities {
    /// One caller: its column name and the bearer token it sends (none for anonymous), or the IAM identity that
    /// signs its requests.
    struct Identity: Sendable {
        var name: String
        var token: String?
        var iam: IAMAuthorizer.Identity?
    }

    let identities: [Identity]
    /// The first dev user's tenant claim (a claim whose name ends in `tenant`).
    let firstTenant: String?

    /// Obtains every token from the stack at `base`, whose data folder (for the provider's key) is `dataFolder`.
    init(base: String, identitiesPath: String, dataFolder: String, client httpClient: HTTPClient) async throws {
        let dev = try JSONDecoder().decode(IdentityProvider.Identities.self,
                                           from: Data(contentsOf: URL(fileURLWithPath: identitiesPath)))
        func token(_ path: String, _ fields: [String: JSONValue], key: String) async throws -> String {
            let response = try await httpClient.send("POST", base + path, headers: [("content-type", "application/json")],
                                                 body: Array(JSONValue.object(fields).jsonText.utf8))
            guard response.status == 200,
                  let token = (try? JSONDecoder().decode([String: JSONValue].self, from: Data(response.body)))?[key]?.stringValue
            else { throw ServeError("\(path) answered \(response.status) for the matrix's \(fields["client_id"] ?? fields["email"] ?? "")") }
            return token
        }
        var identities = [Identity(name: "anonymous", token: nil)]
        for client in dev.clients where client.public != true {
            identities.append(Identity(name: client.id, token: try await token("/idp/oauth/token", [
                "grant_type": "client_credentials", "client_id": .string(client.id), "client_secret": .string(client.secret ?? ""),
            ], key: "access_token")))
        }
        let publicClient = dev.clients.first { $0.public == true }?.id ?? ""
        for user in dev.users {
            identities.append(Identity(name: user.email, token: try await token("/idp/oauth/token", [
                "grant_type": "password", "client_id": .string(publicClient), "username": .string(user.email),
                "password": .string(user.password), "scope": .string(user.permissions.joined(separator: " ")),
            ], key: "access_token")))
        }
        if let user = dev.users.first {
            identities.append(Identity(name: "login " + user.email, token: try await token("/login", [
                "email": .string(user.email), "password": .string(user.password),
            ], key: "token")))
        }
        let key = try JWK(json: String(contentsOfFile: dataFolder + "/idp-signing-key.json", encoding: .utf8))
        let signer = try JWTSigner(key: key, algorithm: .rs256)
        let now = currentTime().rounded(.down)
        let service = dev.clients.first { $0.public != true }
        var claims: [String: JSONValue] = [
            "iss": .string(base + "/idp/"), "sub": .string("\(service?.id ?? "service")@clients"), "aud": .string(dev.audience),
            "iat": .number(now - 7200), "exp": .number(now - 3600),
            "scope": .string((service?.permissions ?? []).joined(separator: " ")),
        ]
        identities.append(Identity(name: "expired", token: try signer.sign(claims)))
        claims["iat"] = .number(now)
        claims["exp"] = .number(now + 600)
        claims["aud"] = "https://other-api.example"
        identities.append(Identity(name: "other audience", token: try signer.sign(claims)))
        if let pool = dev.cognito, let client = pool.appClients.first, let user = dev.users.first {
            identities.append(Identity(name: "pool " + user.email, token: try await Self.poolToken(
                base: base, client: client, user: user, http: httpClient)))
        }
        for iam in dev.iam ?? [] {
            identities.append(Identity(name: "IAM " + (iam.arn.split(separator: "/").last.map(String.init) ?? iam.accessKeyId), iam: iam))
        }
        self.identities = identities
        firstTenant = dev.users.first?.claims.first { $0.key.lowercased().hasSuffix("tenant") }?.value
    }

    /// The ID token of `user` signing in to the dev user pool through `client` (`InitiateAuth`, `USER_PASSWORD_AUTH`).
    private static func poolToken(base: String, client: String, user: IdentityProvider.Identities.User,
                           http: HTTPClient) async throws -> String {
        let body = JSONValue.object(["AuthFlow": "USER_PASSWORD_AUTH", "ClientId": .string(client), "AuthParameters": .object([
            "USERNAME": .string(user.email), "PASSWORD": .string(user.password),
        ])])
        let response = try await http.send("POST", base + CognitoUserPool.mount + "/", headers: [
            ("x-amz-target", "AWSCognitoIdentityProviderService.InitiateAuth"), ("content-type", "application/x-amz-json-1.1"),
        ], body: Array(body.jsonText.utf8))
        guard response.status == 200, let token = (try? JSONValue.object(parsing: response.body))?["AuthenticationResult"]?.objectValue?["IdToken"]?.stringValue
        else { throw ServeError("the dev user pool answered \(response.status) for the matrix's \(user.email)") }
        return token
    }
}
