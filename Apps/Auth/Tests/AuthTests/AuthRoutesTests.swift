import GatehouseTesting
import FoundationEssentials
import HTTP
import JWT
import Storage
import HTTPTesting
import Testing
@testable import Auth

@Suite struct AuthRoutesTests {
    static let secret = "a-test-secret-that-is-at-least-32-bytes-long"
    let issuer = try! TokenIssuer(secretKey: secret, audience: "https://api.gatehouse.dev")

    func app() async throws -> Application {
        let users = UserStore(table: MemoryTable(schema: UserStore.schema))
        try await users.addIfMissing(User(email: "ada@example.com", name: "Ada Lovelace", tenant: "acme",
                                          permissions: ["read:profile", "write:wishlist"],
                                          password: PasswordHash(password: "correct horse battery staple", iterations: 1000)))
        return AuthRoutes.application(users: users, issuer: issuer)
    }

    func post(_ app: Application, _ path: String, _ body: String) async throws -> (Int, [String: JSONValue]) {
        let answer = try await app.call(TestEvents.rest("POST", path, body: body,
                                                         fixture: "apigw-v1-rest-proxy-request-console-test-nulls.json"))
        return (answer.status, try JSONDecoder().decode([String: JSONValue].self, from: Data(answer.body.utf8)))
    }

    @Test func loginAndRefresh() async throws {
        let app = try await app()
        let (status, body) = try await post(app, "/login", #"{"email":"ada@example.com","password":"correct horse battery staple"}"#)
        #expect(status == 200 && body["expires_in"] == .number(300))
        guard case .string(let token)? = body["token"] else { Issue.record("no token"); return }
        let keys = JWKSet(keys: [try JWK.symmetric(secret: Array(Self.secret.utf8), algorithm: .hs256)])
        let claims = try JWTVerifier(keys: keys, policy: ClaimsPolicy(issuer: "gatehouse-auth", audiences: ["https://api.gatehouse.dev"]))
            .verify(token).claims
        #expect(claims.subject == "ada@example.com" && claims["name"] == .string("Ada Lovelace"))
        #expect(claims.scopes == ["read:profile", "write:wishlist"] && claims["https://gatehouse.dev/tenant"] == .string("acme"))
        #expect(claims.expiresAt! - claims.issuedAt! == 300)

        let (refreshed, newBody) = try await post(app, "/token/refresh", "{\"token\":\"\(token)\"}")
        #expect(refreshed == 200 && newBody["token"] != nil)
        let expired = try issuer.token(for: User(email: "x", name: "x", tenant: nil, permissions: [],
                                                 password: PasswordHash(salt: [], hash: [], iterations: 1)), now: currentTime() - 600)
        #expect(try await post(app, "/token/refresh", "{\"token\":\"\(expired)\"}").0 == 401)
        #expect(try await post(app, "/token/refresh", #"{"token":"garbage"}"#).0 == 401)
    }

    @Test func wrongCredentialsAndBadBodies() async throws {
        let app = try await app()
        #expect(try await post(app, "/login", #"{"email":"ada@example.com","password":"wrong"}"#).1["message"] == .string("invalid email or password"))
        #expect(try await post(app, "/login", #"{"email":"nobody@example.com","password":"x"}"#).0 == 401)
        #expect(try await post(app, "/login", #"{"email":"ada@example.com"}"#).0 == 400)
        #expect(try await post(app, "/login", "[]").0 == 400)
    }

    @Test func devUsersAreSeededWithModernHashes() async throws {
        let users = UserStore(table: MemoryTable(schema: UserStore.schema))
        try await users.seed(fromIdentitiesFile: Repository.path("dev/identities.json"))
        let bob = try #require(try await users.user(email: "bob@example.com"))
        #expect(bob.password.iterations == 600_000 && bob.password.salt.count == 16)
        #expect(bob.password.matches("hunter2-hunter2") && !bob.password.matches("hunter2"))
        #expect(bob.tenant == "globex" && bob.permissions == ["read:profile"])
    }
}
