import JSON
import HTTP
import JWT

/// The HTTP API's built-in JWT authorizer: the token (with or without `Bearer `) must verify against the issuer's
/// keys for one of the route's audiences (`aud`, or `client_id` in a token without `aud`, as Cognito's access tokens),
/// and grant one of the route's `AuthorizationScopes` when it lists any. An issuer the stack does not serve has no
/// keys here: its tokens are refused.
struct JWTAuthorizer: Sendable {
    /// The keys of each issuer the stack serves (the dev provider, the dev user pool).
    let keys: [String: JWKSet]

    /// The `requestContext.authorizer` block for the function, or API Gateway's refusal: 401 with a fixed
    /// `error_description` per failure kind (never text from the token), 403 `insufficient_scope`.
    func authorize(_ request: HTTPRequest, issuer: String, audiences: [String],
                   scopes: [String]) -> Result<APIGatewayV2Request.RequestContext.Authorizer, GatewayRefusal> {
        guard var token = GatewayEvents.headerValue(request, "authorization", api: .http), !token.isEmpty else {
            return .failure(GatewayRefusal(.unauthorized, reason: "no or invalid token", .message(.unauthorized, "Unauthorized")))
        }
        if token.lowercased().hasPrefix("bearer ") { token = String(token.dropFirst(7)) }
        var policy = ClaimsPolicy(issuer: issuer, audiences: Set(audiences))
        policy.clientIDMayStandForAudience = true
        let verifier = JWTVerifier(keys: keys[issuer] ?? JWKSet(keys: []), policy: policy)
        do {
            let claims = try verifier.verify(token).claims
            guard scopes.isEmpty || scopes.contains(where: claims.grants) else {
                var response = HTTPResponse.message(.forbidden, "Forbidden")
                response.headers["www-authenticate"] = "Bearer scope=\"\(scopes.joined(separator: " "))\" "
                    + "error=\"insufficient_scope\" error_description=\"the token does not have the required scopes\""
                return .failure(GatewayRefusal(.accessDenied, reason: "missing scope", response))
            }
            // A list claim becomes one string, bracketed and space-separated, its strings unquoted: `[admin users]`.
            let text = claims.gatewayText { "[" + $0.map { $0.stringValue ?? $0.jsonText }.joined(separator: " ") + "]" }
            return .success(.init(jwt: .init(claims: text, scopes: claims.scopes)))
        } catch {
            var response = HTTPResponse.message(.unauthorized, "Unauthorized")
            response.headers["www-authenticate"] = "Bearer scope=\"\" error=\"\(error.bearerError)\" "
                + "error_description=\"\(error.bearerErrorDescription)\""
            return .failure(GatewayRefusal(.unauthorized, reason: "invalid token", response))
        }
    }
}
