public import HTTP

/// The login service's routes (seed 002, with sessions done right): all public, since they are where tokens come
/// from. The rules live in `AuthService`; this file maps them to HTTP.
public enum AuthRoutes {
    struct Login: Decodable {
        var email: String
        var password: String
    }

    /// `{"refresh_token"}`, or the seed's `{"token"}` (a still-valid access token).
    struct Refresh: Decodable {
        var refresh_token: String?
        var token: String?
    }

    struct Logout: Decodable {
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
        router.post("/login", requires: .public) { request, _ in
            let login = try request.decode(Login.self)
            return try await answer { try await service.login(email: login.email, password: login.password, source: request.sourceIP) }
        }
        router.post("/token/refresh", requires: .public) { request, _ in
            let refresh = try request.decode(Refresh.self)
            if let refreshToken = refresh.refresh_token { return try await answer { try await service.refresh(refreshToken: refreshToken) } }
            guard let token = refresh.token else { throw HTTPError(.badRequest, "refresh_token or token is required") }
            return try await answer { try await service.refresh(accessToken: token) }
        }
        router.post("/logout", requires: .public) { request, _ in
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
