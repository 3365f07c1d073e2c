import JSON
import FoundationEssentials
import Glibc
import GatehouseTesting
import HTTP
import LocalStack
import Testing
import Transport
import TransportClient

/// The second attack pass on the local stack's doors (issue "found by attacking it again"): a web page driving the
/// stack by DNS rebinding or a cross-site form, password guessing at the dev IdP and the dev pool, and a Cognito
/// refresh token presented as an access token. Each stack here is its own, so lockouts touch no other test.
@Suite(.serialized) struct SignInAttackTests {
    static func stack(_ template: String = "template.json") throws -> LocalStackServer {
        try LocalStackServer.onFreePort(templatePath: Repository.path(template),
                                        identitiesPath: Repository.identities,
                                        executables: Repository.builtProducts)
    }

    /// One request with exactly these headers, over a raw connection (the client would set `Host` itself).
    static func raw(_ stack: LocalStackServer, _ method: String, _ path: String, _ headers: [(String, String)],
                    body: String = "") throws -> (status: Int, body: String) {
        let connection = WireConnection(socket: try Socket.connect(host: "127.0.0.1", port: stack.port, timeoutSeconds: 30))
        try connection.write(WireRequest(method: method, target: path, headers: WireHeaders(headers), body: Array(body.utf8)))
        let response = try connection.readResponse()
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    static func passwordGrant(_ stack: LocalStackServer, _ password: String) async throws -> (Int, String) {
        let body = #"{"grant_type":"password","username":"bob@example.com","password":"\#(password)","client_id":"dev-service","#
            + #""client_secret":"dev-service-secret","scope":"read:profile"}"#
        return try await SeedFlowTests.call(stack, "POST", "/idp/oauth/token", body: body)
    }

    @Test func aForeignHostIsRefusedEverywhere() async throws {
        let stack = try Self.stack()
        let rebound = ("Host", "rebind.attacker.example:\(stack.port)")
        for path in ["/", "/tenants/acme/wish-list", "/wish-list", "/_gatehouse/metrics"] {
            let answer = try Self.raw(stack, "GET", path, [rebound])
            #expect(answer.status == 403 && answer.body.contains("--allow-host"), "\(path)")
        }
        let grant = try Self.raw(stack, "POST", "/idp/oauth/token", [rebound, ("Content-Type", "application/json")],
                                 body: #"{"grant_type":"client_credentials","client_id":"dev-service","client_secret":"dev-service-secret"}"#)
        #expect(grant.status == 403 && !grant.body.contains("access_token"))
        // The names the stack listens as are answered; a request without Host is malformed.
        for host in ["127.0.0.1:\(stack.port)", "localhost:\(stack.port)", "[::1]:\(stack.port)", "LOCALHOST:\(stack.port)"] {
            #expect(try Self.raw(stack, "GET", "/wish-list", [("Host", host)]).status == 200, "\(host)")
        }
        #expect(try Self.raw(stack, "GET", "/wish-list", [("Host", "localhost:1")]).status == 403)
        #expect(try Self.raw(stack, "GET", "/wish-list", []).status == 400)
        await stack.stop()
    }

    @Test func aNameTheUserAddsIsAnswered() async throws {
        var configuration = LocalStackServer.Configuration(port: try Socket.listen(host: "127.0.0.1", port: 0).localPort,
                                                           executables: Repository.builtProducts)
        configuration.templatePath = Repository.path("template.json")
        configuration.identitiesPath = Repository.identities
        var folder = Array("/tmp/gatehouse-stack-XXXXXX".utf8CString)
        configuration.dataFolder = String(cString: mkdtemp(&folder)!)
        configuration.allowedHosts = ["dev.example.test"]
        let stack = try LocalStackServer(configuration)
        #expect(try Self.raw(stack, "GET", "/wish-list", [("Host", "dev.example.test:\(stack.port)")]).status == 200)
        #expect(try Self.raw(stack, "GET", "/wish-list", [("Host", "other.example.test:\(stack.port)")]).status == 403)
        await stack.stop()
    }

    /// A cross-site form can post `/_gatehouse/matrix` (a simple request); it may not: the action needs a JSON body,
    /// and another origin is refused whatever it sends.
    @Test func theConsolesActionsRefuseCrossSiteRequests() async throws {
        let stack = try Self.stack()
        let host = ("Host", "127.0.0.1:\(stack.port)")
        let form = try Self.raw(stack, "POST", "/_gatehouse/matrix", [host, ("Origin", "https://attacker.example"),
                                                                      ("Content-Type", "application/x-www-form-urlencoded")])
        #expect(form.status == 403)
        let sameOriginForm = try Self.raw(stack, "POST", "/_gatehouse/matrix", [host, ("Content-Type", "text/plain")])
        #expect(sameOriginForm.status == 415 && sameOriginForm.body.contains("application/json"))
        let noBody = try Self.raw(stack, "POST", "/_gatehouse/matrix", [host])
        #expect(noBody.status == 415)
        let foreignJSON = try Self.raw(stack, "POST", "/_gatehouse/matrix", [host, ("Origin", "null"),
                                                                             ("Content-Type", "application/json")], body: "{}")
        #expect(foreignJSON.status == 403)
        let reads = try Self.raw(stack, "GET", "/_gatehouse/reload", [host, ("Origin", "https://attacker.example")])
        #expect(reads.status == 403)
        #expect(try Self.raw(stack, "GET", "/_gatehouse/reload", [host, ("Origin", "http://localhost:\(stack.port)")]).status == 200)
        await stack.stop()
    }

    /// As Auth0's brute-force protection: after 10 wrong passwords the user is blocked (429 too_many_attempts), the
    /// right password included; every guess is counted before it is checked, so parallel guesses change nothing.
    @Test func theIdentityProviderBlocksPasswordGuessing() async throws {
        let stack = try Self.stack()
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<30 { group.addTask { try await Self.passwordGrant(stack, "guess-\(index)").0 } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.filter { $0 == 403 }.count == 10 && statuses.filter { $0 == 429 }.count == 20)
        let right = try await Self.passwordGrant(stack, "hunter2-hunter2")
        #expect(right.0 == 429 && right.1.contains("too_many_attempts") && !right.1.contains("access_token"))
        await stack.stop()
    }

    /// The dev pool's refresh token is opaque, as Cognito's: no JWT authorizer can take it for an access token. It
    /// refreshes until revoked, and the pool locks a user out after 5 wrong passwords ("Password attempts exceeded").
    @Test func cognitoRefreshTokensAreOpaqueAndPasswordsLockOut() async throws {
        let stack = try Self.stack("Tests/LocalStackTests/Templates/cognito.json")
        let signIn = try await CognitoTests.initiateAuth(stack, flow: "USER_PASSWORD_AUTH",
                                                         ["USERNAME": "ada@example.com", "PASSWORD": "correct horse battery staple"])
        let result = try #require(signIn.1["AuthenticationResult"]?.objectValue)
        let refresh = try #require(result["RefreshToken"]?.stringValue)
        #expect(!refresh.contains(".") && refresh.count >= 64)
        #expect(try await CognitoTests.me(stack, "/profile", authorization: "Bearer " + refresh).0 == 401)
        #expect(try await CognitoTests.me(stack, "/profile", authorization: result["AccessToken"]?.stringValue).0 == 200)
        let refreshed = try await CognitoTests.initiateAuth(stack, flow: "REFRESH_TOKEN_AUTH", ["REFRESH_TOKEN": refresh])
        #expect(refreshed.0 == 200)
        let other = try await CognitoTests.initiateAuth(stack, flow: "REFRESH_TOKEN_AUTH", client: "gatehouse-web", ["REFRESH_TOKEN": "x"])
        #expect(other.0 == 400 && other.1["message"] == "Invalid Refresh Token")

        let revoke = try await SeedFlowTests.client.send("POST", stack.baseURL + "/cognito/", headers: [
            ("X-Amz-Target", "AWSCognitoIdentityProviderService.RevokeToken"), ("Content-Type", "application/x-amz-json-1.1"),
        ], body: Array(#"{"Token":"\#(refresh)","ClientId":"gatehouse-web"}"#.utf8))
        #expect(revoke.status == 200)
        let revoked = try await CognitoTests.initiateAuth(stack, flow: "REFRESH_TOKEN_AUTH", ["REFRESH_TOKEN": refresh])
        #expect(revoked.0 == 400 && revoked.1["__type"] == "NotAuthorizedException")

        var messages: [String] = []
        for index in 0..<30 {
            let wrong = try await CognitoTests.initiateAuth(stack, flow: "USER_PASSWORD_AUTH",
                                                            ["USERNAME": "bob@example.com", "PASSWORD": "guess-\(index)"])
            #expect(wrong.0 == 400 && wrong.1["__type"] == "NotAuthorizedException")
            messages.append(wrong.1["message"]?.stringValue ?? "")
        }
        #expect(messages.filter { $0 == "Incorrect username or password." }.count == 5)
        #expect(messages.filter { $0 == "Password attempts exceeded" }.count == 25)
        let right = try await CognitoTests.initiateAuth(stack, flow: "USER_PASSWORD_AUTH",
                                                        ["USERNAME": "bob@example.com", "PASSWORD": "hunter2-hunter2"])
        #expect(right.0 == 400 && right.1["message"] == "Password attempts exceeded")
        await stack.stop()
    }
}
