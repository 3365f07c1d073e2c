import ExampleTokens
public import HTTP
public import Runtime
import TransportClient

/// The deployable function.
extension DPoPAuthorizer: LambdaFunction {
    /// The Lambda runtime: tokens of the OpenID issuer `JWT_ISSUER` for `JWT_AUDIENCE` (the `auth` app's HS256
    /// tokens are never bound to a key, so its secret is not trusted here).
    public static func runtime() throws -> LambdaRuntime {
        let issuer = try requiredEnvironment("JWT_ISSUER")
        let tokens = try ExampleTokens.verifier(openIDIssuer: issuer, secretKey: nil,
                                                audience: try requiredEnvironment("JWT_AUDIENCE"), client: try HTTPClient())
        let authorizer = DPoPAuthorizer(verifier: DPoPTokenVerifier(tokens: tokens))
        return LambdaRuntime(requestAuthorizer: authorizer.decide, observability: .lambda())
    }

    /// A REQUEST authorizer, for `--describe`.
    public static var description: FunctionDescription { .authorizer(.request) }
}
