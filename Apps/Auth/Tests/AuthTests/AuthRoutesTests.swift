import JWT
import JSON
import GatehouseTesting
import FoundationEssentials
import HTTP
import Runtime
import Sessions
import Storage
import StorageTesting
import HTTPTesting
import Synchronization
import Testing
@testable import Auth

/// Every line a test's loggers wrote.
final class LogLines: Sendable {
    let lines = Mutex<[String]>([])
}

/// The login service end to end through its router, on every storage backend, against a clock the test moves.
@Suite struct AuthRoutesTests {
    static let secret = "a-test-secret-that-is-at-least-32-bytes-long"
    static let ada = "correct horse battery staple"

    /// The service on `backend`, with ada (cheap hash), the log lines it wrote, and its clock.
    struct Stack {
        let app: Application
        let users: UserStore
        let sessions: any Table
        let clock = ManualClock(start: currentTime())
        let logs = LogLines()

        init(_ backend: TestBackend, perSource: LoginAttempts.Limit = .init(failures: 50, window: 900)) async throws {
            users = UserStore(table: try await backend.table(UserStore.schema))
            sessions = try await backend.table(.sessions)
            try await users.add(User(email: "ada@example.com", name: "Ada Lovelace", tenant: "acme",
                                     permissions: ["read:profile", "write:wishlist"],
                                     password: PasswordHash(password: AuthRoutesTests.ada, iterations: 1000)))
            let issuer = try TokenIssuer(secretKey: AuthRoutesTests.secret, audience: "https://api.gatehouse.dev")
            let service = AuthService(users: users, issuer: issuer, refreshTokens: RefreshTokens(table: sessions, now: clock.now),
                                      attempts: LoginAttempts(table: sessions, perSource: perSource, now: clock.now),
                                      now: clock.now)
            let sink: @Sendable (String) -> Void = { [logs] line in logs.lines.withLock { $0.append(line) } }
            let observability = Observability(service: "auth", metrics: MetricsLogger(sink: sink),
                                              audit: Logger(level: .debug, sink: sink))
            app = AuthRoutes.application(service: service, observability: observability)
        }

        func post(_ path: String, _ body: String, from source: String = "198.51.100.7")
            async throws -> (status: Int, json: [String: JSONValue], headers: [String: String]) {
            let answer = try await app.call(TestEvents.rest("POST", path, body: body, sourceIP: source,
                                                             fixture: "apigw-v1-rest-proxy-request-console-test-nulls.json"))
            let json = answer.body.isEmpty ? [:] : try JSONDecoder().decode([String: JSONValue].self, from: Data(answer.body.utf8))
            return (answer.status, json, answer.headers)
        }

        func login(_ email: String = "ada@example.com", _ password: String = AuthRoutesTests.ada,
                   from source: String = "198.51.100.7") async throws -> (status: Int, json: [String: JSONValue], headers: [String: String]) {
            try await post("/login", #"{"email":"\#(email)","password":"\#(password)"}"#, from: source)
        }

        func refresh(_ refreshToken: String) async throws -> (status: Int, json: [String: JSONValue], headers: [String: String]) {
            try await post("/token/refresh", #"{"refresh_token":"\#(refreshToken)"}"#)
        }
    }

    static func claims(_ token: JSONValue?, now: Double) throws -> JWTClaims {
        guard case .string(let token)? = token else { throw JWTError(.malformed, "no token") }
        let keys = JWKSet(keys: [try JWK.symmetric(secret: Array(secret.utf8), algorithm: .hs256)])
        return try JWTVerifier(keys: keys, policy: ClaimsPolicy(issuer: "gatehouse-auth", audiences: ["https://api.gatehouse.dev"]))
            .verify(token, now: now).claims
    }

    static func text(_ value: JSONValue?) -> String { if case .string(let text)? = value { text } else { "" } }

    @Test func loginAnswersTheSeedsShapeWithARefreshToken() async throws {
        let stack = try await Stack(.memory)
        let (status, body, _) = try await stack.login()
        #expect(status == 200 && body["expires_in"] == .number(300))
        let claims = try Self.claims(body["token"], now: stack.clock.now())
        #expect(claims.subject == "ada@example.com" && claims["name"] == .string("Ada Lovelace"))
        #expect(claims.scopes == ["read:profile", "write:wishlist"] && claims["https://gatehouse.dev/tenant"] == .string("acme"))
        #expect(claims.expiresAt! - claims.issuedAt! == 300 && Self.text(claims["jti"]).count == 36)
        #expect(Self.text(body["refresh_token"]).count == 64)
        let second = try Self.claims(try await stack.login().json["token"], now: stack.clock.now())
        #expect(second["jti"] != claims["jti"])
    }

    @Test func theSeedsRefreshFormStillWorksAndRereadsTheUser() async throws {
        let stack = try await Stack(.memory)
        let token = try await stack.login().json["token"]
        #expect(try await stack.users.setPermissions(["read:profile"], email: "ada@example.com"))
        let (status, body, _) = try await stack.post("/token/refresh", "{\"token\":\"\(Self.text(token))\"}")
        #expect(status == 200 && body["refresh_token"] == nil)
        #expect(try Self.claims(body["token"], now: stack.clock.now()).scopes == ["read:profile"])
        stack.clock.advance(301)
        #expect(try await stack.post("/token/refresh", "{\"token\":\"\(Self.text(body["token"]))\"}").status == 401)
        #expect(try await stack.post("/token/refresh", #"{"token":"garbage"}"#).status == 401)
        #expect(try await stack.post("/token/refresh", #"{}"#).status == 400)
    }

    @Test(arguments: TestBackend.allCases)
    func refreshRotatesAndReuseRevokesTheFamily(backend: TestBackend) async throws {
        let stack = try await Stack(backend)
        let first = Self.text(try await stack.login().json["refresh_token"])
        let (status, rotated, _) = try await stack.refresh(first)
        #expect(status == 200 && rotated["token"] != nil)
        let second = Self.text(rotated["refresh_token"])
        #expect(second.count == 64 && second != first)
        // The thief replays the first token: refused, and the user's newest token dies with it.
        #expect(try await stack.refresh(first).status == 401)
        #expect(try await stack.refresh(second).status == 401)
        // A new login starts a new family.
        let fresh = Self.text(try await stack.login().json["refresh_token"])
        #expect(try await stack.refresh(fresh).status == 200)
    }

    @Test(arguments: TestBackend.allCases)
    func logoutRevokesAndPermissionsAreRereadOnRefresh(backend: TestBackend) async throws {
        let stack = try await Stack(backend)
        let session = Self.text(try await stack.login().json["refresh_token"])
        let other = Self.text(try await stack.login().json["refresh_token"])
        #expect(try await stack.post("/logout", #"{"refresh_token":"\#(session)"}"#).status == 204)
        #expect(try await stack.refresh(session).status == 401)
        #expect(try await stack.post("/logout", #"{"refresh_token":"never-issued"}"#).status == 204)

        #expect(try await stack.users.setPermissions(["read:profile"], email: "ada@example.com"))
        let (status, body, _) = try await stack.refresh(other)
        #expect(status == 200)
        #expect(try Self.claims(body["token"], now: stack.clock.now()).scopes == ["read:profile"])

        #expect(try await stack.users.remove(email: "ada@example.com"))
        #expect(try await stack.refresh(Self.text(body["refresh_token"])).status == 401)
        #expect(try await stack.login().status == 401)
    }

    /// Logout ends the session for every form of refresh: the seed's form (an access token for a new one) included,
    /// for the access tokens of that session, rotated ones too. Another session of the same user goes on.
    @Test(arguments: TestBackend.allCases)
    func logoutEndsTheSeedsRefreshFormForThatSession(backend: TestBackend) async throws {
        let stack = try await Stack(backend)
        let login = try await stack.login(), other = try await stack.login()
        let rotated = try await stack.refresh(Self.text(login.json["refresh_token"]))
        let sid = try Self.claims(login.json["token"], now: stack.clock.now())["sid"]
        let rotatedSID = try Self.claims(rotated.json["token"], now: stack.clock.now())["sid"]
        let otherSID = try Self.claims(other.json["token"], now: stack.clock.now())["sid"]
        #expect(sid != nil && rotatedSID == sid && otherSID != sid)
        #expect(try await stack.post("/logout", #"{"refresh_token":"\#(Self.text(rotated.json["refresh_token"]))"}"#).status == 204)
        for token in [login.json["token"], rotated.json["token"]] {
            #expect(try await stack.post("/token/refresh", "{\"token\":\"\(Self.text(token))\"}").status == 401)
        }
        #expect(try await stack.post("/token/refresh", "{\"token\":\"\(Self.text(other.json["token"]))\"}").status == 200)
    }

    @Test(arguments: TestBackend.allCases)
    func refreshTokensExpire(backend: TestBackend) async throws {
        let stack = try await Stack(backend)
        let token = Self.text(try await stack.login().json["refresh_token"])
        stack.clock.advance(RefreshTokens.defaultLifetime + 1)
        #expect(try await stack.refresh(token).status == 401)
    }

    @Test(arguments: TestBackend.allCases)
    func failedLoginsAreThrottledAlikeForKnownAndUnknownEmails(backend: TestBackend) async throws {
        let stack = try await Stack(backend)
        for _ in 0..<5 { #expect(try await stack.login("ada@example.com", "wrong").status == 401) }
        let throttled = try await stack.login()  // even the right password waits
        #expect(throttled.status == 429 && throttled.json["message"] == .string("too many attempts"))
        #expect(throttled.headers["retry-after"] == "900")
        stack.clock.advance(899)
        #expect(try await stack.login().headers["retry-after"] == "1")
        stack.clock.advance(1)
        #expect(try await stack.login().status == 200)
        // The success reset ada's count: five more failures are allowed before the next 429.
        for _ in 0..<4 { #expect(try await stack.login("ada@example.com", "wrong").status == 401) }
        #expect(try await stack.login().status == 200)

        // Unknown emails are counted the same, so 429 says nothing about who exists.
        for _ in 0..<5 { #expect(try await stack.login("ghost@example.com", "x", from: "203.0.113.9").status == 401) }
        let ghost = try await stack.login("ghost@example.com", "x", from: "203.0.113.10")
        #expect(ghost.status == 429 && ghost.headers["retry-after"] == "900")
    }

    /// The race the limit used to lose: 4 wrong logins, then 3 wrong and the right one at once. Each attempt is
    /// counted before its password is checked, so only one of the four gets past the limit of 5 (and if that one is
    /// a wrong guess, the right password waits too). Not on moto: its transactions have no isolation.
    @Test(arguments: [TestBackend.memory, .sqlite])
    func parallelGuessesCannotOutrunTheLimit(backend: TestBackend) async throws {
        let stack = try await Stack(backend)
        for _ in 0..<4 { #expect(try await stack.login("ada@example.com", "wrong").status == 401) }
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for password in ["wrong1", "wrong2", "wrong3", Self.ada] {
                group.addTask { try await stack.login("ada@example.com", password).status }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.filter { $0 == 429 }.count == 3 && statuses.filter { $0 != 429 }.count == 1)
    }

    @Test func failuresFromOneAddressAreThrottledAcrossEmails() async throws {
        let stack = try await Stack(.sqlite, perSource: .init(failures: 8, window: 900))
        for index in 0..<8 {
            #expect(try await stack.login("user\(index)@example.com", "x", from: "203.0.113.66").status == 401)
        }
        #expect(try await stack.login(from: "203.0.113.66").status == 429)
        #expect(try await stack.login(from: "203.0.113.67").status == 200)
    }

    @Test(arguments: TestBackend.allCases)
    func refreshTokensAreNeitherStoredNorLoggedInClear(backend: TestBackend) async throws {
        let stack = try await Stack(backend)
        let first = Self.text(try await stack.login().json["refresh_token"])
        let second = Self.text(try await stack.refresh(first).json["refresh_token"])
        _ = try await stack.refresh(first)
        _ = try await stack.post("/logout", #"{"refresh_token":"\#(second)"}"#)
        var stored = ""
        var next: String? = nil
        repeat {
            let page = try await stack.sessions.scan(limit: 100, after: next)
            stored += page.items.map { "\($0)" }.joined()
            next = page.next
        } while next != nil
        let logged = stack.logs.lines.withLock { $0.joined(separator: "\n") }
        #expect(stored.contains("refresh#") && !logged.isEmpty)
        for secret in [first, second, Self.ada] {
            #expect(!stored.contains(secret) && !logged.contains(secret))
        }
    }

    @Test func wrongCredentialsAndBadBodies() async throws {
        let stack = try await Stack(.memory)
        #expect(try await stack.login("ada@example.com", "wrong").json["message"] == .string("invalid email or password"))
        #expect(try await stack.post("/login", #"{"email":"ada@example.com"}"#).status == 400)
        #expect(try await stack.post("/login", "[]").status == 400)
        #expect(try await stack.post("/logout", "{}").status == 400)
    }

    @Test func devUsersAreSeededWithModernHashes() async throws {
        let users = UserStore(table: MemoryTable(schema: UserStore.schema))
        try await users.seed(fromIdentitiesFile: Repository.identities)
        let bob = try #require(try await users.user(email: "bob@example.com"))
        #expect(bob.password.iterations == 600_000 && bob.password.salt.count == 16)
        #expect(bob.password.matches("hunter2-hunter2") && !bob.password.matches("hunter2"))
        #expect(bob.tenant == "globex" && bob.permissions == ["read:profile"])
    }
}
