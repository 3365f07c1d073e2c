import JSON
import HTTP
import JWT

/// A REST API's Cognito user pool authorizer (`UserPoolArn`) as API Gateway runs it, on the dev pool: the header's
/// token (with or without `Bearer `) must be the pool's ID or access token for one of its app clients; when the
/// method lists `AuthorizationScopes`, an access token granting one of them. Every refusal is 401 Unauthorized.
struct CognitoAuthorizer: Sendable {
    let pool: CognitoUserPool?

    /// `requestContext.authorizer` for the function (`claims`, every value as text), or API Gateway's refusal.
    func authorize(_ request: HTTPRequest, header: String, scopes: [String]) -> Result<[String: JSONValue], GatewayRefusal> {
        let refusal = GatewayRefusal(.unauthorized, reason: "no or invalid token", .message(.unauthorized, "Unauthorized"))
        guard let pool, var token = GatewayEvents.headerValue(request, header, api: .rest), !token.isEmpty else {
            return .failure(refusal)
        }
        if token.lowercased().hasPrefix("bearer ") { token = String(token.dropFirst(7)) }
        let policy = ClaimsPolicy.cognito(issuer: pool.issuer, clientIDs: Set(pool.settings.appClients),
                                          tokenUse: scopes.isEmpty ? nil : "access")
        guard let claims = try? JWTVerifier(keys: pool.publicKeys, policy: policy).verify(token).claims,
              scopes.isEmpty || scopes.contains(where: claims.grants)
        else { return .failure(refusal) }
        // As the REST authorizer passes them: every claim as a string, lists comma-joined.
        let text = claims.gatewayText { $0.map { $0.stringValue ?? $0.jsonText }.joined(separator: ",") }
        return .success(["claims": .object(text)])
    }
}
