import Glibc
public import HTTP
import JWT
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
