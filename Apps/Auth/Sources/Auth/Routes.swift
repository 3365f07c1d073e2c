import Glibc
public import HTTP
import JWT
public import Runtime
import Storage

/// The login/refresh service's routes (seed 002): both public, since they are where tokens come from.
public enum AuthRoutes {
    struct Login: Decodable {
        var email: String
        var password: String
    }

    struct Refresh: Decodable {
        var token: String
    }

    struct Issued: Encodable {
        var token: String
        var expires_in: Int
    }

    /// The application over `users` and `issuer`.
    public static func application(users: UserStore, issuer: TokenIssuer, observability: Observability? = nil) -> Application {
        var router = Router(maxBodyBytes: 8 * 1024)
        router.post("/login", requires: .public) { request, _ in
            let login = try request.decode(Login.self)
            // The same answer for an unknown email and a wrong password; both cost one hash.
            let user = try await users.user(email: login.email)
            let matches = user?.password.matches(login.password) ?? PasswordHash.decoy.matches(login.password)
            guard let user, matches else { throw HTTPError(.unauthorized, "invalid email or password") }
            return try .ok(Issued(token: try issuer.token(for: user), expires_in: Int(TokenIssuer.lifetime)))
        }
        router.post("/token/refresh", requires: .public) { request, _ in
            let refresh = try request.decode(Refresh.self)
            guard let token = try? issuer.refresh(refresh.token) else { throw HTTPError(.unauthorized, "invalid or expired token") }
            return try .ok(Issued(token: token, expires_in: Int(TokenIssuer.lifetime)))
        }
        return Application(router: router, observability: observability)
    }
}

extension PasswordHash {
    /// A hash no password matches, checked for unknown emails so they take as long as known ones.
    static let decoy = PasswordHash(password: "decoy-\(UInt64.random(in: 0...UInt64.max))")
}


/// The deployable function: `SECRET_KEY`, `JWT_AUDIENCE`, `TABLE_NAME` required; dev users seeded from
/// `GATEHOUSE_IDENTITIES` (default `dev/identities.json`) when that file exists.
public enum AuthFunction: LambdaFunction {
    /// The Lambda runtime serving `/login` and `/token/refresh`.
    public static func runtime() async throws -> LambdaRuntime {
        let issuer = try TokenIssuer(secretKey: try requiredEnvironment("SECRET_KEY"),
                                     audience: try requiredEnvironment("JWT_AUDIENCE"))
        let table = try StorageBackend.fromEnvironment().openTable(name: try requiredEnvironment("TABLE_NAME"),
                                                                   schema: UserStore.schema)
        let users = UserStore(table: table)
        let identities = environmentVariable("GATEHOUSE_IDENTITIES") ?? "dev/identities.json"
        if FileManagerLite.exists(identities) { try await users.seed(fromIdentitiesFile: identities) }
        return LambdaRuntime(AuthRoutes.application(users: users, issuer: issuer, observability: .lambda()))
    }

    /// The routes, for `--describe`: built on an in-memory store and a throwaway key (no environment is read,
    /// nothing is signed).
    public static var description: FunctionDescription {
        let throwawayKey = (0..<4).map { _ in String(UInt64.random(in: 0...UInt64.max), radix: 16) }.joined()
        guard let issuer = try? TokenIssuer(secretKey: throwawayKey, audience: "describe") else { return .routes([]) }
        let users = UserStore(table: MemoryTable(schema: UserStore.schema))
        return FunctionDescription(router: AuthRoutes.application(users: users, issuer: issuer).router)
    }
}


enum FileManagerLite {
    static func exists(_ path: String) -> Bool { access(path, R_OK) == 0 }
}
