import ExampleTokens
public import HTTP
public import Runtime

/// The deployable function.
extension TokenAuthorizer: LambdaFunction {
    /// The Lambda runtime: IAM-form responses, and the `Unauthorized` error for `.unauthorized`.
    public static func runtime() throws -> LambdaRuntime {
        let authorizer = TokenAuthorizer(verifier: try ExampleTokens.verifierFromEnvironment())
        return LambdaRuntime(tokenAuthorizer: authorizer.decide, observability: .lambda())
    }

    /// A TOKEN authorizer, for `--describe`.
    public static var description: FunctionDescription { .authorizer(.token) }
}
