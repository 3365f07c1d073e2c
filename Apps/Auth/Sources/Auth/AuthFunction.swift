import Glibc
public import HTTP
public import Runtime
import JWT
import Sessions
import Storage

/// The deployable function: `SECRET_KEY`, `JWT_AUDIENCE`, `TABLE_NAME` (users) and `SESSIONS_TABLE` (refresh
/// tokens, login attempts) required; dev users seeded from `GATEHOUSE_IDENTITIES` (default `dev/identities.json`)
/// when that file exists.
public enum AuthFunction: LambdaFunction {
    /// The Lambda runtime serving `/login`, `/token/refresh` and `/logout`.
    public static func runtime() async throws -> LambdaRuntime {
        let issuer = try TokenIssuer(secretKey: try requiredEnvironment("SECRET_KEY"),
                                     audience: try requiredEnvironment("JWT_AUDIENCE"))
        let backend = try StorageBackend.fromEnvironment()
        let users = UserStore(table: try backend.openTable(name: try requiredEnvironment("TABLE_NAME"), schema: UserStore.schema))
        let sessions = try backend.openTable(name: try requiredEnvironment("SESSIONS_TABLE"), schema: .sessions)
        let identities = environmentVariable("GATEHOUSE_IDENTITIES") ?? "dev/identities.json"
        if FileManagerLite.exists(identities) { try await users.seed(fromIdentitiesFile: identities) }
        let service = AuthService(users: users, issuer: issuer, refreshTokens: RefreshTokens(table: sessions),
                                  attempts: LoginAttempts(table: sessions), now: currentTime)
        return LambdaRuntime(AuthRoutes.application(service: service, observability: .lambda()))
    }

    /// The routes, for `--describe`: built on in-memory stores and a throwaway key (no environment is read,
    /// nothing is signed).
    public static var description: FunctionDescription {
        let throwawayKey = (0..<4).map { _ in String(UInt64.random(in: 0...UInt64.max), radix: 16) }.joined()
        guard let issuer = try? TokenIssuer(secretKey: throwawayKey, audience: "describe") else { return .routes([]) }
        let sessions = MemoryTable(schema: .sessions)
        let service = AuthService(users: UserStore(table: MemoryTable(schema: UserStore.schema)), issuer: issuer,
                                  refreshTokens: RefreshTokens(table: sessions), attempts: LoginAttempts(table: sessions),
                                  now: currentTime)
        return FunctionDescription(router: AuthRoutes.application(service: service).router)
    }
}

enum FileManagerLite {
    static func exists(_ path: String) -> Bool { access(path, R_OK) == 0 }
}
