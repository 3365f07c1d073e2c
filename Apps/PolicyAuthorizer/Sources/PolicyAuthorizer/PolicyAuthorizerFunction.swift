import ExampleTokens
public import HTTP
public import Runtime

/// The deployable function.
extension PolicyAuthorizer: LambdaFunction {
    /// The Lambda runtime: the example issuers' verifier and the store `POLICY_STORE_ID`.
    public static func runtime() throws -> LambdaRuntime {
        let authorizer = PolicyAuthorizer(verifier: try ExampleTokens.verifierFromEnvironment(), policies: try RoutePolicies.fromEnvironment())
        return LambdaRuntime(requestAuthorizer: authorizer.decide, observability: .lambda())
    }

    /// A REQUEST authorizer, for `--describe`.
    public static var description: FunctionDescription { .authorizer(.request) }
}
