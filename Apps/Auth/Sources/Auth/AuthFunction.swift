import Glibc
public import HTTP
public import Runtime
import Storage

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
