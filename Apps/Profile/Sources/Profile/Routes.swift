public import HTTP
import Policy

/// The profile endpoint's routes.
public enum ProfileRoutes {
    /// `GET /profile`: the caller's name, from the token's `name` claim as the authorizer passed it on.
    public static func application(observability: Observability? = nil) -> Application {
        var router = Router()
        router.get("/profile", requires: .scope(.readProfile)) { _, context in
            ["name": context.caller.claims["name"] ?? context.caller.subject]
        }
        return Application(router: router, observability: observability)
    }
}
