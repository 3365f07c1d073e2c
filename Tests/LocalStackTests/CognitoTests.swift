@_spi(Gatehouse) import JWT
import JSON
import FoundationEssentials
import GatehouseTesting
import HTTP
import LocalStack
import Testing
import TransportClient

/// The dev Cognito user pool (SPEC §4) and the authorizers that trust it, end to end: `InitiateAuth` over Cognito's
/// JSON protocol, tokens in Cognito's shape, `GET /me` behind a REST Cognito authorizer, and tokens made by a
/// foreign library (`joserfc`, PyPI) accepted and refused as API Gateway would.
@Suite(.serialized) struct CognitoTests {
    static let python = PythonPeer.find(module: "joserfc")

    static func stack(_ template: String) throws -> LocalStackServer {
        try LocalStackServer.onFreePort(templatePath: Repository.path(template), identitiesPath: Repository.identities,
                                        executables: Repository.builtProducts)
    }

    /// `InitiateAuth` with `parameters`: the status, the body's members and the `x-amzn-ErrorType` header.
    static func initiateAuth(_ stack: LocalStackServer, flow: String, client: String = "gatehouse-web",
                             _ parameters: [String: String]) async throws -> (Int, [String: JSONValue], String?) {
        let body = JSONValue.object(["AuthFlow": .string(flow), "ClientId": .string(client),
                                     "AuthParameters": .object(parameters.mapValues { .string($0) })])
        let response = try await SeedFlowTests.client.send("POST", stack.baseURL + "/cognito/", headers: [
            ("X-Amz-Target", "AWSCognitoIdentityProviderService.InitiateAuth"), ("Content-Type", "application/x-amz-json-1.1"),
        ], body: Array(body.jsonText.utf8))
        return (response.status, try JSONValue.object(parsing: response.body),
                response.headers.first { $0.name.lowercased() == "x-amzn-errortype" }?.value)
    }

    static func claims(_ token: String?) throws -> [String: JSONValue] {
        let parts = try #require(token).split(separator: ".")
        return try JSONValue.object(parsing: try #require(Base64URL.decode(String(parts[1]))))
    }

    static func me(_ stack: LocalStackServer, _ path: String = "/me", authorization: String?) async throws -> (Int, String) {
        let headers = authorization.map { [("Authorization", $0)] } ?? []
        let response = try await SeedFlowTests.client.send("GET", stack.baseURL + path, headers: headers, body: [])
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    @Test func signInRefreshAndMe() async throws {
        let stack = try Self.stack("template.json")
        let (status, answer, _) = try await Self.initiateAuth(stack, flow: "USER_PASSWORD_AUTH",
                                                              ["USERNAME": "ada@example.com", "PASSWORD": "correct horse battery staple"])
        let result = try #require(answer["AuthenticationResult"]?.objectValue)
        #expect(status == 200 && result["TokenType"] == "Bearer" && result["ExpiresIn"] == .number(3600))
        let access = try Self.claims(result["AccessToken"]?.stringValue), id = try Self.claims(result["IdToken"]?.stringValue)
        #expect(access["token_use"] == "access" && access["client_id"] == "gatehouse-web" && access["aud"] == nil)
        #expect(access["username"] == "ada@example.com" && access["scope"]?.stringValue?.contains("write:wishlist") == true)
        #expect(id["token_use"] == "id" && id["aud"] == "gatehouse-web" && id["email"] == "ada@example.com")
        #expect(id["cognito:username"] == "ada@example.com" && id["cognito:groups"] == ["editors"])
        #expect(id["iss"]?.stringValue == stack.baseURL + "/cognito/us-east-1_GatehouseDev" && id["sub"] == access["sub"])

        let idToken = try #require(result["IdToken"]?.stringValue), accessToken = try #require(result["AccessToken"]?.stringValue)
        #expect(try await Self.me(stack, authorization: idToken)
                == (200, #"{"email":"ada@example.com","groups":["editors"],"username":"ada@example.com"}"#))
        #expect(try await Self.me(stack, authorization: "Bearer " + accessToken).0 == 200)
        #expect(try await Self.me(stack, authorization: nil) == (401, #"{"message":"Unauthorized"}"#))
        // The dev identity provider's token is not the pool's.
        let other = try await SeedFlowTests.token(stack, client: "dev-service", secret: "dev-service-secret")
        #expect(try await Self.me(stack, authorization: other) == (401, #"{"message":"Unauthorized"}"#))

        let refreshed = try await Self.initiateAuth(stack, flow: "REFRESH_TOKEN_AUTH",
                                                    ["REFRESH_TOKEN": try #require(result["RefreshToken"]?.stringValue)])
        #expect(refreshed.0 == 200 && refreshed.1["AuthenticationResult"]?["AccessToken"] != nil)
        #expect(refreshed.1["AuthenticationResult"]?["RefreshToken"] == nil)
        // A refresh token is no key to the API, and an access token is no refresh token.
        #expect(try await Self.me(stack, authorization: try #require(result["RefreshToken"]?.stringValue)).0 == 401)
        let misused = try await Self.initiateAuth(stack, flow: "REFRESH_TOKEN_AUTH", ["REFRESH_TOKEN": accessToken])
        #expect(misused.0 == 400 && misused.1["__type"] == "NotAuthorizedException")

        let wrong = try await Self.initiateAuth(stack, flow: "USER_PASSWORD_AUTH", ["USERNAME": "ada@example.com", "PASSWORD": "x"])
        #expect(wrong.0 == 400 && wrong.1["__type"] == "NotAuthorizedException" && wrong.2 == "NotAuthorizedException:")
        #expect(wrong.1["message"] == "Incorrect username or password.")
        let nobody = try await Self.initiateAuth(stack, flow: "USER_PASSWORD_AUTH", ["USERNAME": "eve@example.com", "PASSWORD": "x"])
        #expect(nobody.1["message"] == wrong.1["message"])
        let client = try await Self.initiateAuth(stack, flow: "USER_PASSWORD_AUTH", client: "other", ["USERNAME": "a", "PASSWORD": "b"])
        #expect(client.0 == 400 && client.1["__type"] == "ResourceNotFoundException")
        let missing = try await Self.initiateAuth(stack, flow: "USER_PASSWORD_AUTH", ["USERNAME": "ada@example.com"])
        #expect(missing.1["__type"] == "InvalidParameterException" && missing.1["message"] == "Missing required parameter PASSWORD")
        await stack.stop()
    }

    /// Signs tokens in Cognito's shape with the pool's key (and with a key of its own, for another pool).
    static let minter = #"""
        import json, sys, time
        from joserfc import jwt
        from joserfc.jwk import RSAKey
        key_file, issuer = sys.argv[1:3]
        pool = RSAKey.import_key(json.load(open(key_file)))
        stranger = RSAKey.generate_key(2048, parameters={"kid": pool.kid})
        now = int(time.time())
        base = {"sub": "5f0c", "iss": issuer, "iat": now, "auth_time": now, "exp": now + 600}
        id_token = {**base, "token_use": "id", "aud": "gatehouse-web", "cognito:username": "ada@example.com",
                    "email": "ada@example.com", "cognito:groups": ["editors"]}
        access = {**base, "token_use": "access", "client_id": "gatehouse-web", "username": "ada@example.com",
                  "scope": "aws.cognito.signin.user.admin read:profile"}
        def sign(claims, key=pool): return jwt.encode({"alg": "RS256", "kid": pool.kid}, claims, key)
        print(json.dumps({
            "id": sign(id_token), "access": sign(access),
            "access without scope": sign({**access, "scope": "aws.cognito.signin.user.admin"}),
            "another pool's key": sign(id_token, stranger),
            "another pool": sign({**id_token, "iss": issuer[:-len("GatehouseDev")] + "Other"}),
            "another client": sign({**access, "client_id": "other-client"}),
            "expired": sign({**id_token, "iat": now - 7200, "exp": now - 3600}),
        }))
        """#

    static func foreignTokens(_ stack: LocalStackServer) throws -> [String: String] {
        let output = try PythonPeer.output(python!, script: minter, arguments: [
            stack.dataFolder + "/cognito-signing-key.json", stack.baseURL + "/cognito/us-east-1_GatehouseDev",
        ])
        return try JSONDecoder().decode([String: String].self, from: Data(output.utf8))
    }

    @Test(.enabled(if: python != nil, Comment(rawValue: PythonPeer.skipReason(module: "joserfc"))))
    func foreignTokensInCognitosShape() async throws {
        let stack = try Self.stack("template.json")
        let tokens = try Self.foreignTokens(stack)
        for name in ["id", "access"] {
            #expect(try await Self.me(stack, authorization: tokens[name]).0 == 200, "\(name)")
        }
        for name in ["another pool's key", "another pool", "another client", "expired"] {
            #expect(try await Self.me(stack, authorization: tokens[name]) == (401, #"{"message":"Unauthorized"}"#), "\(name)")
        }
        await stack.stop()

        // Where the method lists scopes, only an access token granting one passes; the HTTP API's JWT authorizer
        // takes an access token's client_id for its missing aud.
        let scoped = try Self.stack("Tests/LocalStackTests/Templates/cognito.json")
        let minted = try Self.foreignTokens(scoped)
        #expect(try await Self.me(scoped, authorization: minted["access"]).0 == 200)
        #expect(try await Self.me(scoped, authorization: minted["id"]) == (401, #"{"message":"Unauthorized"}"#))
        #expect(try await Self.me(scoped, authorization: minted["access without scope"]).0 == 401)
        #expect(try await Self.me(scoped, "/profile", authorization: minted["access"]).0 == 200)
        #expect(try await Self.me(scoped, "/profile", authorization: minted["another client"]).0 == 401)
        await scoped.stop()
    }

    /// A pool client with `RefreshTokenRotation` (grace 0): `GetTokensFromRefreshToken` returns a new refresh token
    /// and the presented one is spent at once; `REFRESH_TOKEN_AUTH` is refused for such a client, as Cognito does.
    @Test func refreshTokensRotateWhenTheClientSaysSo() async throws {
        let stack = try Self.stack("Tests/LocalStackTests/Templates/cognito-rotation.json")
        func refresh(_ token: String) async throws -> (Int, [String: JSONValue]) {
            let body = JSONValue.object(["ClientId": "gatehouse-web", "RefreshToken": .string(token)])
            let response = try await SeedFlowTests.client.send("POST", stack.baseURL + "/cognito/", headers: [
                ("X-Amz-Target", "AWSCognitoIdentityProviderService.GetTokensFromRefreshToken"),
                ("Content-Type", "application/x-amz-json-1.1"),
            ], body: Array(body.jsonText.utf8))
            return (response.status, try JSONValue.object(parsing: response.body))
        }
        let (_, signIn, _) = try await Self.initiateAuth(stack, flow: "USER_PASSWORD_AUTH",
                                                          ["USERNAME": "ada@example.com", "PASSWORD": "correct horse battery staple"])
        let first = try #require(signIn["AuthenticationResult"]?.objectValue?["RefreshToken"]?.stringValue)
        let (refused, answer, _) = try await Self.initiateAuth(stack, flow: "REFRESH_TOKEN_AUTH", ["REFRESH_TOKEN": first])
        #expect(refused == 400 && answer["__type"] == "InvalidParameterException")
        let (status, rotated) = try await refresh(first)
        let result = try #require(rotated["AuthenticationResult"]?.objectValue)
        let second = try #require(result["RefreshToken"]?.stringValue)
        #expect(status == 200 && second != first && result["IdToken"] != nil)
        let (again, spent) = try await refresh(first)
        #expect(again == 400 && spent["__type"] == "NotAuthorizedException")
        // The spent token came back: the family is revoked (stricter than Cognito documents; see docs/authn-authz.md).
        #expect(try await refresh(second).0 == 400)
        await stack.stop()
    }
}
