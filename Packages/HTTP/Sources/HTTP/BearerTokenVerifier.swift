public import JWT
public import Policy
public import Transport
import Runtime

/// The token check both example authorizers share: a `Bearer` token from the trusted OpenID issuer (`JWT_ISSUER`,
/// keys by discovery) or from the `auth` app (HS256 with `SECRET_KEY`), for audience `JWT_AUDIENCE`.
public struct BearerTokenVerifier: Sendable {
    /// The `iss` of tokens the `auth` app issues.
    public static let authIssuer = "gatehouse-auth"
    /// The claim naming the caller's tenant.
    public static let tenantClaim = "https://gatehouse.dev/tenant"

    private let verifier: MultiIssuerVerifier

    /// Trusts `issuer` (OIDC, its keys discovered) and, with `secretKey`, the `auth` app's HS256 tokens.
    public init(issuer: String?, audience: String, secretKey: String?, client: HTTPClient) throws {
        var trusted: [TrustedIssuer] = []
        if let issuer {
            trusted.append(TrustedIssuer(issuer: issuer, audiences: [audience],
                                         keys: try JWKSFetcher(issuer: issuer, client: client)))
        }
        if let secretKey {
            let key = try JWK.symmetric(secret: Array(secretKey.utf8), algorithm: .hs256)
            trusted.append(TrustedIssuer(issuer: Self.authIssuer, audiences: [audience], keys: JWKSet(keys: [key])))
        }
        verifier = MultiIssuerVerifier(issuers: trusted, leeway: 5)
    }

    /// From `JWT_ISSUER` (optional when `SECRET_KEY` is set), `JWT_AUDIENCE` (required) and `SECRET_KEY`.
    public static func fromEnvironment() throws -> BearerTokenVerifier {
        let audience = try requiredEnvironment("JWT_AUDIENCE")
        let issuer = environmentVariable("JWT_ISSUER").flatMap { $0.isEmpty ? nil : $0 }
        let secret = environmentVariable("SECRET_KEY").flatMap { $0.isEmpty ? nil : $0 }
        guard issuer != nil || secret != nil else {
            throw LambdaError(type: "MissingConfiguration", message: "environment variable JWT_ISSUER is required")
        }
        return try BearerTokenVerifier(issuer: issuer, audience: audience, secretKey: secret, client: try HTTPClient())
    }

    /// Verifies the token of an `Authorization` value (`Bearer TOKEN`, or the bare token as API Gateway's JWT
    /// authorizer also accepts).
    public func verify(authorization: String?) async throws(JWTError) -> VerifiedJWT {
        guard var token = authorization?.trimming(" "), !token.isEmpty else {
            throw JWTError(.malformed, "no token")
        }
        if token.lowercased().hasPrefix("bearer ") { token = String(token.dropFirst(7)).trimming(" ") }
        return try await verifier.verify(token)
    }

    /// What an authorizer hands on to the handler: `sub`, `scope` (space-separated), `name` and `tenant`.
    public static func context(for token: VerifiedJWT) -> AuthorizerContext {
        var context: AuthorizerContext = ["sub": .string(token.claims.subject ?? ""),
                                          "scope": .string(token.claims.scopes.joined(separator: " "))]
        if let name = token.claims["name"]?.stringValue { context["name"] = .string(name) }
        if let tenant = token.claims[tenantClaim]?.stringValue { context["tenant"] = .string(tenant) }
        return context
    }
}
