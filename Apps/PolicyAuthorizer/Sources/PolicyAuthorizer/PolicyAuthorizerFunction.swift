import ExampleTokens
public import HTTP
public import Runtime
import TransportClient

/// The deployable function.
extension PolicyAuthorizer: LambdaFunction {
    /// The Lambda runtime: tokens of the OpenID issuer `JWT_ISSUER` for `JWT_AUDIENCE` — the issuer the store's
    /// identity source trusts, and no other (the `auth` app's tokens are not for this API) — and the store
    /// `POLICY_STORE_ID`.
    public static func runtime() throws -> LambdaRuntime {
        let verifier = try ExampleTokens.verifier(openIDIssuer: try requiredEnvironment("JWT_ISSUER"), secretKey: nil,
                                                  audience: try requiredEnvironment("JWT_AUDIENCE"), client: try HTTPClient())
        let authorizer = PolicyAuthorizer(verifier: verifier, policies: try RoutePolicies.fromEnvironment())
        return LambdaRuntime(requestAuthorizer: authorizer.decide, observability: .lambda())
    }

    /// A REQUEST authorizer, for `--describe`.
    public static var description: FunctionDescription { .authorizer(.request) }
}
