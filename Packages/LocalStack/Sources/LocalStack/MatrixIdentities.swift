import JSON
import FoundationEssentials
import JWT
import TransportClient

/// The callers the authorization matrix tries, each with the token it presents: nobody, every dev client and every
/// dev user (from the identity provider), a login of the `auth` app, and two tokens every authorizer must refuse:
/// an expired one and one for another audience (both signed with the dev provider's own key); then the first dev
/// user signed in to the dev Cognito user pool (its ID token); the first dev user's DPoP-bound token, sent with a
/// fresh proof from its key on every call, and the same token stolen (sent as a bearer token, without the key); last,
/// every dev IAM identity, which signs its requests with SigV4 instead of sending a token.
struct MatrixIdentities {
    /// One caller: its column name and the token it sends (none for anonymous) — as a bearer token, or with a
    /// `proofKey` as a DPoP token with a proof per call — or the IAM identity that signs its requests.
    struct Identity: Sendable {
        var name: String
        var token: String?
        var iam: IAMAuthorizer.Identity?
        var proofKey: JWTSigner?

        /// The headers that present the identity's token on a call of `method` to `url`.
        func tokenHeaders(_ method: String, _ url: String) throws -> [(String, String)] {
            guard let token else { return [] }
            guard let proofKey else { return [("authorization", "Bearer " + token)] }
            return [("authorization", "DPoP " + token), ("dpop", try DPoP.proof(signer: proofKey, method: method, url: url,
                                                                                 accessToken: token, now: currentTime(),
                                                                                 id: UUID().uuidString))]
        }
    }

    let identities: [Identity]
    /// The first dev user's tenant claim (a claim whose name ends in `tenant`).
    let firstTenant: String?

    /// Obtains every token from the stack at `base`, whose data folder (for the provider's key) is `dataFolder`.
    init(base: String, identitiesPath: String, dataFolder: String, client httpClient: HTTPClient) async throws {
        let dev = try configurationDocument(IdentityProvider.Identities.self, identitiesPath)
        /// The token at `keys` (a member path) in the answer to `fields` posted to `path` for `who`.
        func token(_ path: String, _ fields: [String: JSONValue], at keys: [String], for who: String,
                   headers: [(String, String)] = [("content-type", "application/json")]) async throws -> String {
            let response = try await httpClient.send("POST", base + path, headers: headers,
                                                     body: Array(JSONValue.object(fields).jsonText.utf8))
            var value = (try? JSONValue.object(parsing: response.body)).map(JSONValue.object)
            for key in keys { value = value?.objectValue?[key] }
            guard response.status == 200, let token = value?.stringValue else {
                throw ServeError("\(path) answered \(response.status) for the matrix's \(who)")
            }
            return token
        }
        var identities = [Identity(name: "anonymous", token: nil)]
        for client in dev.clients where client.public != true {
            identities.append(Identity(name: client.id, token: try await token("/idp/oauth/token", [
                "grant_type": "client_credentials", "client_id": .string(client.id), "client_secret": .string(client.secret ?? ""),
            ], at: ["access_token"], for: client.id)))
        }
        let publicClient = dev.clients.first { $0.public == true }?.id ?? ""
        for user in dev.users {
            identities.append(Identity(name: user.email, token: try await token("/idp/oauth/token", [
                "grant_type": "password", "client_id": .string(publicClient), "username": .string(user.email),
                "password": .string(user.password), "scope": .string(user.permissions.joined(separator: " ")),
            ], at: ["access_token"], for: user.email)))
        }
        if let user = dev.users.first {
            identities.append(Identity(name: "login " + user.email, token: try await token("/login", [
                "email": .string(user.email), "password": .string(user.password),
            ], at: ["token"], for: user.email)))
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
            identities.append(Identity(name: "pool " + user.email, token: try await token(CognitoUserPool.mount + "/", [
                "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": .string(client),
                "AuthParameters": ["USERNAME": .string(user.email), "PASSWORD": .string(user.password)],
            ], at: ["AuthenticationResult", "IdToken"], for: user.email, headers: [
                ("x-amz-target", "AWSCognitoIdentityProviderService.InitiateAuth"), ("content-type", "application/x-amz-json-1.1"),
            ])))
        }
        if let user = dev.users.first {
            let key = try JWTSigner(key: try JWK.generate(for: .es256), algorithm: .es256)
            let proof = try DPoP.proof(signer: key, method: "POST", url: base + "/idp/oauth/token", accessToken: nil,
                                       now: currentTime(), id: UUID().uuidString)
            let bound = try await token("/idp/oauth/token", [
                "grant_type": "password", "client_id": .string(publicClient), "username": .string(user.email),
                "password": .string(user.password), "scope": .string(user.permissions.joined(separator: " ")),
            ], at: ["access_token"], for: "DPoP " + user.email, headers: [("content-type", "application/json"), ("dpop", proof)])
            identities.append(Identity(name: "DPoP " + user.email, token: bound, proofKey: key))
            identities.append(Identity(name: "stolen DPoP token", token: bound))
        }
        for iam in dev.iam ?? [] {
            identities.append(Identity(name: "IAM " + (iam.arn.split(separator: "/").last.map(String.init) ?? iam.accessKeyId), iam: iam))
        }
        self.identities = identities
        firstTenant = dev.users.first?.claims.first { $0.key.lowercased().hasSuffix("tenant") }?.value
    }
}
