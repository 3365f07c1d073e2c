public import HTTP
public import Runtime

/// The deployable function.
public enum ProfileFunction: LambdaFunction {
    /// The Lambda runtime serving `GET /profile`.
    public static func runtime() -> LambdaRuntime { LambdaRuntime(ProfileRoutes.application(observability: .lambda())) }

    /// The routes, for `--describe`.
    public static var description: FunctionDescription { FunctionDescription(router: ProfileRoutes.application().router) }
}
