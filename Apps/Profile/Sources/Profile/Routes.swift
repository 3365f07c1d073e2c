public import HTTP
import Policy

/// The profile endpoint's routes.
public enum ProfileRoutes {
    /// Who a Cognito user pool caller is, from the claims its authorizer passed on.
    struct Me: Encodable {
        var username: String
        var email: String
        var groups: [String]
    }

    /// A DPoP caller: its subject and the thumbprint of the key its token is bound to.
    struct WhoAmI: Encodable {
        var sub: String
        var jkt: String
    }

    /// `GET /profile` and `GET /edge/profile`: the caller's name, from the token's `name` claim as the authorizer
    /// passed it on.
    /// `GET /me`: a Cognito user pool caller's username, email and groups (behind the REST Cognito authorizer).
    /// `GET /dpop/whoami`: a DPoP caller's subject and key thumbprint (behind the DPoP authorizer).
    public static func application(observability: Observability? = nil) -> Application {
        var router = Router()
        // The same answer behind two authorizers: the TOKEN authorizer (`/profile`) and the policy authorizer, where
        // Verified Permissions decides the route (`/edge/profile`); the scope check stays here either way.
        for path in ["/profile", "/edge/profile"] {
            router.get(path, requires: .scope(.readProfile)) { _, context in
                ["name": context.caller.claims["name"] ?? context.caller.subject]
            }
        }
        router.get("/me", requires: .authenticated, documented: .init(responses: [200: Me.self])) { _, context in
            let claims = context.caller.claims
            // An ID token names the user in `cognito:username`, an access token in `username`; only ID tokens carry
            // the email.
            return Me(username: claims["cognito:username"] ?? claims["username"] ?? context.caller.subject,
                      email: claims["email"] ?? "", groups: groups(claims["cognito:groups"]))
        }
        // Behind the DPoP authorizer: it vouched for the token and a fresh proof from the key the token is bound to.
        router.get("/dpop/whoami", requires: .authenticated, documented: .init(responses: [200: WhoAmI.self])) { _, context in
            WhoAmI(sub: context.caller.subject, jkt: context.caller.claims["jkt"] ?? "")
        }
        return Application(router: router, observability: observability)
    }

    /// `cognito:groups` as API Gateway passes it: comma-joined (REST Cognito authorizer) or `[a b]` (HTTP API JWT
    /// authorizer).
    static func groups(_ text: String?) -> [String] {
        guard var text, !text.isEmpty else { return [] }
        if text.hasPrefix("[") && text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        return text.split { $0 == "," || $0 == " " }.map(String.init)
    }
}
