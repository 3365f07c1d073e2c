public import HTTP

/// The login service's routes (seed 002, with sessions done right): all public, since they are where tokens come
/// from. The rules live in `AuthService`; this file maps them to HTTP.
public enum AuthRoutes {
    struct Login: Codable {
        var email: String
        var password: String

        /// RFC 5321's bound on an address, and a bound on what is hashed; longer ones are refused with 400 before any
        /// store or hash sees them (a table key has a size limit; the answer must not be a 500).
        static let maxEmailLength = 254, maxPasswordLength = 1024

        func validated() throws(HTTPError) -> Login {
            guard (1...Self.maxEmailLength).contains(email.unicodeScalars.count) else {
                throw HTTPError(.badRequest, "email must be 1 to \(Self.maxEmailLength) characters")
            }
            guard password.unicodeScalars.count <= Self.maxPasswordLength else {
                throw HTTPError(.badRequest, "password must be at most \(Self.maxPasswordLength) characters")
            }
            return self
        }
    }

    /// `{"refresh_token"}`, or the seed's `{"token"}` (a still-valid access token).
    struct Refresh: Codable {
        var refresh_token: String?
        var token: String?
    }

    struct Logout: Codable {
        var refresh_token: String
    }

    struct Issued: Encodable {
        var token: String
        var expires_in: Int
        var refresh_token: String?
    }

    /// The application over `service`.
    public static func application(service: AuthService, observability: Observability? = nil) -> Application {
        var router = Router(maxBodyBytes: 8 * 1024)
        let invalid = [401: "invalid email or password"]
        router.post("/login", requires: .public, documented: .init(
            request: Login.self, responses: [200: Issued.self],
            errors: invalid.merging([429: "too many attempts (Retry-After says when to retry)"]) { $1 })) { request, _ in
            let login = try request.decode(Login.self).validated()
            return try await answer { try await service.login(email: login.email, password: login.password, source: request.sourceIP) }
        }
        router.post("/token/refresh", requires: .public, documented: .init(
            request: Refresh.self, responses: [200: Issued.self],
            errors: [401: "unknown, expired, revoked or spent token (a spent one revokes its family)"])) { request, _ in
            let refresh = try request.decode(Refresh.self)
            if let refreshToken = refresh.refresh_token { return try await answer { try await service.refresh(refreshToken: refreshToken) } }
            guard let token = refresh.token else { throw HTTPError(.badRequest, "refresh_token or token is required") }
            return try await answer { try await service.refresh(accessToken: token) }
        }
        router.post("/logout", requires: .public, documented: .init(request: Logout.self, responses: [204: NoContent.self])) { request, _ in
            try await service.logout(refreshToken: try request.decode(Logout.self).refresh_token)
            return HTTPResponse(status: .noContent)
        }
        return Application(router: router, observability: observability)
    }

    private static func answer(_ issue: () async throws -> AuthService.Session) async throws -> HTTPResponse {
        do {
            let session = try await issue()
            return try .ok(Issued(token: session.accessToken, expires_in: Int(TokenIssuer.lifetime),
                                  refresh_token: session.refreshToken))
        } catch let refusal as AuthService.Refusal {
            switch refusal {
            case .invalidCredentials: throw HTTPError(.unauthorized, "invalid email or password")
            case .throttled(let seconds):
                throw HTTPError(.tooManyRequests, "too many attempts", headers: ["retry-after": String(seconds)])
            case .invalidToken: throw HTTPError(.unauthorized, "invalid or expired token")
            }
        }
    }
}
