import JSON
public import HTTP
public import JWT
public import Policy
import Runtime
public import TransportClient

/// What the example apps agree on about tokens: the `auth` app's issuer name, the tenant claim, which issuers the
/// authorizers trust (from their environment) and what they hand on to handlers. Your service names its own.
public enum ExampleTokens {
    /// The `iss` of tokens the `auth` app issues.
    public static let authIssuer = "gatehouse-auth"
    /// The claim naming the caller's tenant.
    public static let tenantClaim = "https://gatehouse.dev/tenant"
    /// The claim listing the caller's groups (the dev identity provider's; `Caller.groups` reads it as `groups`).
    public static let groupsClaim = "https://gatehouse.dev/groups"

    /// The authorizers' verifier: the OpenID issuer `JWT_ISSUER` (optional when `SECRET_KEY` is set) and the `auth`
    /// app's HS256 tokens signed with `SECRET_KEY`, for audience `JWT_AUDIENCE` (required).
    public static func verifierFromEnvironment() throws -> BearerTokenVerifier {
        let audience = try requiredEnvironment("JWT_AUDIENCE")
        let issuer = environmentVariable("JWT_ISSUER").flatMap { $0.isEmpty ? nil : $0 }
        let secret = environmentVariable("SECRET_KEY").flatMap { $0.isEmpty ? nil : $0 }
        guard issuer != nil || secret != nil else {
            throw LambdaError(type: "MissingConfiguration", message: "environment variable JWT_ISSUER is required")
        }
        return try verifier(openIDIssuer: issuer, secretKey: secret, audience: audience, client: try HTTPClient())
    }

    /// A verifier trusting `openIDIssuer` and, with `secretKey`, the `auth` app's tokens.
    public static func verifier(openIDIssuer: String?, secretKey: String?, audience: String,
                                client: HTTPClient) throws -> BearerTokenVerifier {
        let issuers = (openIDIssuer.map { [BearerTokenVerifier.Issuer.openID($0)] } ?? [])
            + (secretKey.map { [.sharedSecret(issuer: authIssuer, secret: $0)] } ?? [])
        return try BearerTokenVerifier(trusting: issuers, audience: audience, client: client)
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
