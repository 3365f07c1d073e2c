import TransportClient
import GatehouseTesting
import LocalStack
import FoundationEssentials
import Glibc
import HTTP
import Transport
import Runtime
import Testing

/// The seeds' curl flows against `gatehouse serve` over real HTTP: the gateway, the authorizers, the functions as
/// executables and the identity provider, as a newcomer meets them after `make run`.
@Suite(.serialized) struct SeedFlowTests {
    /// One stack for the suite, on a free port, with its data in a fresh folder.
    final class Stack: StackAddress {
        let port: UInt16
        let process: FunctionProcess
        let data: String
        let ready = ReadySignal()

        /// A stack on `template`; `reusing` an earlier stack's data folder and port restarts that stack; `environment`
        /// (given the port) adds to the stack's environment, which its functions inherit.
        init(template: String = "template.json", reusing folder: String? = nil, port reusedPort: UInt16? = nil,
             environment extra: (UInt16) -> [String: String] = { _ in [:] }) throws {
            let root = Repository.root
            if let folder {
                data = folder
            } else {
                var folder = Array("/tmp/gatehouse-stack-XXXXXX".utf8CString)
                data = String(cString: mkdtemp(&folder)!)
            }
            if let reusedPort {
                port = reusedPort
            } else {
                let probe = try Socket.listen(host: "127.0.0.1", port: 0)
                port = probe.localPort
                probe.shutdown()
            }
            let products = Repository.builtProducts
            let ready = self.ready
            process = try FunctionProcess(
                executable: products + "/gatehouse",
                arguments: ["serve", "--port", String(port), "--template", root + "/" + template],
                environment: ["GATEHOUSE_DATA": data, "GATEHOUSE_IDENTITIES": Repository.identities,
                              "GATEHOUSE_STORAGE": "sqlite:\(data)/stack.sqlite", "GATEHOUSE_PARENT_PID": String(getpid())]
                    .merging(extra(port)) { _, added in added },
                onOutputLine: { line in if line.hasPrefix("listening on") { ready.signal() } })
        }

        var base: String { "http://127.0.0.1:\(port)" }
    }

    final class ReadySignal: Sendable {
        private let lock = ConditionLock()
        nonisolated(unsafe) private var done = false
        func signal() { lock.withLock { done = true; lock.broadcast() } }
        func wait() { lock.withLock { lock.wait { done } } }
    }

    static let stack: Stack = {
        let stack = try! Stack()
        stack.ready.wait()
        return stack
    }()

    /// Patient enough for a password hash (600k PBKDF2 rounds) on a loaded machine or under a sanitizer; the stack's
    /// own function timeouts still bound every call.
    static let client: HTTPClient = {
        var options = HTTPClient.Options()
        options.timeoutSeconds = 30
        return try! HTTPClient(options: options)
    }()

    func call(_ method: String, _ path: String, token: String? = nil, body: String? = nil) async throws -> (Int, String) {
        try await Self.call(Self.stack, method, path, token: token, body: body)
    }

    static func call(_ stack: some StackAddress, _ method: String, _ path: String, token: String? = nil, body: String? = nil) async throws
        -> (Int, String)
    {
        let response = try await response(stack, method, path, token: token, body: body)
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    static func response(_ stack: some StackAddress, _ method: String, _ path: String, token: String? = nil, body: String? = nil)
        async throws -> HTTPClient.Response
    {
        var headers: [(String, String)] = [("Content-Type", "application/json")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        return try await client.send(method, stack.base + path, headers: headers, body: Array((body ?? "").utf8))
    }

    func token(client id: String, secret: String) async throws -> String {
        try await Self.token(Self.stack, client: id, secret: secret)
    }

    /// A client_credentials access token for the API from `stack`'s identity provider.
    static func token(_ stack: some StackAddress, client id: String, secret: String) async throws -> String {
        let (status, body) = try await call(stack, "POST", "/idp/oauth/token",
                                            body: #"{"grant_type":"client_credentials","client_id":"\#(id)","client_secret":"\#(secret)","audience":"https://api.gatehouse.dev"}"#)
        #expect(status == 200)
        return try JSONDecoder().decode(TokenAnswer.self, from: Data(body.utf8)).access_token
    }

    @Test func wishListFlow() async throws {
        #expect(try await call("GET", "/wish-list").0 == 200)
        #expect(try await call("POST", "/wish-list", body: #"{"name":"Book"}"#) == (401, #"{"message":"Unauthorized"}"#))
        let reader = try await token(client: "reader-service", secret: "reader-service-secret")
        #expect(try await call("POST", "/wish-list", token: reader, body: #"{"name":"Book"}"#)
                == (403, #"{"message":"missing scope write:wishlist"}"#))
        let writer = try await token(client: "dev-service", secret: "dev-service-secret")
        let created = try await call("POST", "/wish-list", token: writer, body: #"{"name":"Seed book","url":"https://example.com"}"#)
        #expect(created.0 == 201 && created.1.hasPrefix(#"{"id":""#))
        #expect(try await call("POST", "/wish-list", token: writer, body: #"{"url":"https://example.com"}"#)
                == (400, #"{"message":"name is required"}"#))
        #expect(try await call("GET", "/wish-list").1.contains("Seed book"))
        #expect(try await call("POST", "/wish-list", token: "not-a-jwt", body: "{}").0 == 401)
    }

    @Test func loginProfileTenantsAndRefresh() async throws {
        let login = try await call("POST", "/login", body: #"{"email":"ada@example.com","password":"correct horse battery staple"}"#)
        #expect(login.0 == 200)
        struct Issued: Decodable { var token: String; var expires_in: Int }
        let ada = try JSONDecoder().decode(Issued.self, from: Data(login.1.utf8))
        #expect(ada.expires_in == 300)
        #expect(try await call("GET", "/profile", token: ada.token) == (200, #"{"name":"Ada Lovelace"}"#))
        #expect(try await call("GET", "/profile") == (401, #"{"message":"Unauthorized"}"#))
        #expect(try await call("GET", "/profile", token: "garbage") == (401, #"{"message":"Unauthorized"}"#))
        #expect(try await call("GET", "/tenants/acme/wish-list", token: ada.token).0 == 200)
        #expect(try await call("GET", "/tenants/globex/wish-list", token: ada.token)
                == (403, #"{"message":"User is not authorized to access this resource with an explicit deny"}"#))
        #expect(try await call("GET", "/tenants/acme/wish-list").0 == 401)
        let refreshed = try await call("POST", "/token/refresh", body: "{\"token\":\"\(ada.token)\"}")
        #expect(refreshed.0 == 200 && refreshed.1.contains("\"token\""))
        #expect(try await call("POST", "/token/refresh", body: #"{"token":"expired.or.forged"}"#).0 == 401)
        #expect(try await call("POST", "/login", body: #"{"email":"ada@example.com","password":"wrong"}"#).0 == 401)
    }

    @Test func sessionsFollowTheStoredUser() async throws {
        struct Session: Decodable { var token: String; var refresh_token: String }
        func users(_ arguments: String...) async throws -> Int32 {
            let environment = ["GATEHOUSE_STORAGE": "sqlite:\(Self.stack.data)/stack.sqlite"]
            let result = try await FunctionProcess.run(Repository.builtProducts + "/gatehouse", arguments: ["users"] + arguments,
                                                       environment: environment, deadline: 60)
            return result.exitCode
        }
        #expect(try await users("add", "erin@example.com", "--password", "erin-password-1", "--name", "Erin",
                                "--permissions", "read:profile") == 0)
        #expect(try await users("add", "erin@example.com", "--password", "other") == 1)
        let login = try await call("POST", "/login", body: #"{"email":"erin@example.com","password":"erin-password-1"}"#)
        let erin = try JSONDecoder().decode(Session.self, from: Data(login.1.utf8))
        #expect(try await call("GET", "/profile", token: erin.token) == (200, #"{"name":"Erin"}"#))

        // A permission taken away between two refreshes is gone from the next token.
        #expect(try await users("set-permissions", "erin@example.com", "write:wishlist") == 0)
        let rotated = try await call("POST", "/token/refresh", body: #"{"refresh_token":"\#(erin.refresh_token)"}"#)
        let next = try JSONDecoder().decode(Session.self, from: Data(rotated.1.utf8))
        #expect(try await call("GET", "/profile", token: next.token) == (403, #"{"message":"missing scope read:profile"}"#))

        // Logout revokes the family; a removed user gets no new token either way.
        #expect(try await call("POST", "/logout", body: #"{"refresh_token":"\#(next.refresh_token)"}"#).0 == 204)
        #expect(try await call("POST", "/token/refresh", body: #"{"refresh_token":"\#(next.refresh_token)"}"#).0 == 401)
        #expect(try await users("remove", "erin@example.com") == 0)
        #expect(try await call("POST", "/token/refresh", body: "{\"token\":\"\(next.token)\"}").0 == 401)
    }

    @Test func identityProviderRotatesRefreshTokensAsAuth0Does() async throws {
        struct Answer: Decodable { var access_token: String; var refresh_token: String?; var scope: String }
        func grant(_ fields: String) async throws -> (Int, Answer?) {
            let (status, body) = try await call("POST", "/idp/oauth/token", body: "{\(fields)}")
            return (status, try? JSONDecoder().decode(Answer.self, from: Data(body.utf8)))
        }
        let ada = #""username":"ada@example.com","password":"correct horse battery staple","client_id":"gatehouse-console""#
        #expect(try await grant(#""grant_type":"password",\#(ada),"scope":"read:profile""#).1?.refresh_token == nil)
        let (status, first) = try await grant(#""grant_type":"password",\#(ada),"scope":"read:profile offline_access""#)
        let firstToken = try #require(first?.refresh_token)
        #expect(status == 200 && first?.scope == "read:profile")
        let refresh = { (token: String) in #""grant_type":"refresh_token","client_id":"gatehouse-console","refresh_token":"\#(token)""# }
        let (rotatedStatus, rotated) = try await grant(refresh(firstToken))
        let secondToken = try #require(rotated?.refresh_token)
        #expect(rotatedStatus == 200 && rotated?.scope == "read:profile" && secondToken != firstToken)
        #expect(try await call("GET", "/profile", token: rotated?.access_token).0 == 200)
        // Another client cannot spend it; reuse of a spent token revokes the family, the newest token included.
        #expect(try await grant(#""grant_type":"refresh_token","client_id":"dev-service","client_secret":"dev-service-secret","refresh_token":"x""#).0 == 403)
        #expect(try await call("POST", "/idp/oauth/token", body: "{\(refresh(firstToken))}")
                == (403, #"{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}"#))
        #expect(try await grant(refresh(secondToken)).0 == 403)
    }

    @Test func identityProviderAndGatewayAnswers() async throws {
        let discovery = try await call("GET", "/idp/.well-known/openid-configuration")
        #expect(discovery.0 == 200 && discovery.1.contains(#""issuer":"http://127.0.0.1:\#(Self.stack.port)/idp/""#))
        #expect(try await call("GET", "/idp/.well-known/jwks.json").1.contains(#""kty":"RSA""#))
        #expect(try await call("POST", "/idp/oauth/token", body: #"{"grant_type":"client_credentials","client_id":"dev-service","client_secret":"wrong"}"#).0 == 401)
        #expect(try await call("POST", "/idp/oauth/token", body: #"{"grant_type":"client_credentials"}"#).0 == 400)
        #expect(try await call("POST", "/idp/oauth/token", body: #"{"grant_type":"client_credentials","client_id":"dev-service","client_secret":"dev-service-secret","audience":"https://other"}"#).0 == 403)
        // Password grant: the token's scopes are the requested ones the user holds (Auth0's intersection).
        let password = try await call("POST", "/idp/oauth/token", body: #"{"grant_type":"password","username":"bob@example.com","password":"hunter2-hunter2","scope":"read:profile write:wishlist","client_id":"gatehouse-console"}"#)
        #expect(password.0 == 200 && password.1.contains(#""scope":"read:profile""#))
        // The password grant authenticates the client: a confidential one needs its secret, an unknown one is refused.
        let bob = #""grant_type":"password","username":"bob@example.com","password":"hunter2-hunter2""#
        #expect(try await call("POST", "/idp/oauth/token", body: "{\(bob),\"client_id\":\"dev-service\"}").0 == 401)
        #expect(try await call("POST", "/idp/oauth/token", body: "{\(bob),\"client_id\":\"dev-service\",\"client_secret\":\"x\"}").0 == 401)
        #expect(try await call("POST", "/idp/oauth/token", body: "{\(bob)}").0 == 400)
        #expect(try await call("POST", "/idp/oauth/token", body: "{\(bob),\"client_id\":\"dev-service\",\"client_secret\":\"dev-service-secret\"}").0 == 200)
        #expect(try await call("POST", "/idp/oauth/token", body: #"{"grant_type":"client_credentials","client_id":"gatehouse-console","client_secret":""}"#).0 == 401)
        #expect(try await call("GET", "/no/such/route") == (404, #"{"message":"Not Found"}"#))
        #expect(try await call("DELETE", "/wish-list").0 == 404)
    }
}

/// The identity provider's token answer.
struct TokenAnswer: Decodable { var access_token: String }

/// Where a stack answers: `gatehouse serve` in a child process, or a `LocalStackServer` in this one.
protocol StackAddress: Sendable {
    var base: String { get }
}

extension LocalStackServer: StackAddress {
    var base: String { baseURL }
}
