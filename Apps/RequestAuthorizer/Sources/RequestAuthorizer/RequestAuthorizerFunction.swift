import ExampleTokens
public import HTTP
public import Runtime

/// The deployable function.
extension RequestAuthorizer: LambdaFunction {
    /// The Lambda runtime: IAM responses for REST and payload 1.0, simple responses for HTTP API payload 2.0.
    public static func runtime() throws -> LambdaRuntime {
        let authorizer = RequestAuthorizer(verifier: try ExampleTokens.verifierFromEnvironment())
        return LambdaRuntime(requestAuthorizer: authorizer.decide, observability: .lambda())
    }

    /// A REQUEST authorizer, for `--describe`.
    public static var description: FunctionDescription { .authorizer(.request) }
}
