import Foundation
/// The files of a new app, in the shape of the example apps: a library whose route declares what it requires, the
/// three-line executable, a README and a test on a real event sample.
struct AppScaffold {
    /// Which authorizer guards the new route, and so which API carries it.
    enum Authorizer: String, CaseIterable {
        case jwt, token, request, none
    }

    /// The app's executable and function name (`order-history`).
    let name: String
    let authorizer: Authorizer
    /// The scope the route requires; nil for a public route.
    let scope: String?

    /// `OrderHistory`.
    var typeName: String { name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined() }
    /// The route's path.
    var path: String { authorizer == .request ? "/tenants/{tenantId}/\(name)" : "/\(name)" }
    /// `read:greeting` → `readGreeting`.
    var scopeIdentifier: String {
        let words = (scope ?? "").split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        return words.enumerated().map { $0 == 0 ? $1.lowercased() : $1.prefix(1).uppercased() + $1.dropFirst() }.joined()
    }

    /// Relative path → content.
    var files: [(String, String)] {
        let library = "Apps/\(typeName)/Sources/\(typeName)/"
        var files = [
            (library + "\(typeName)Function.swift", function),
            (library + "Routes.swift", routes),
            ("Apps/\(typeName)/Sources/\(name)/main.swift", "import HTTP\nimport \(typeName)\nawait \(typeName)Function.main()\n"),
            ("Apps/\(typeName)/Tests/\(typeName)Tests/\(typeName)RoutesTests.swift", tests),
            ("Apps/\(typeName)/README.md", readme),
        ]
        if scope != nil { files.insert((library + "Scopes.swift", scopes), at: 2) }
        return files
    }

    private var requirement: String { scope == nil ? ".public" : ".scope(.\(scopeIdentifier))" }

    private var function: String {
        """
        public import HTTP
        public import Runtime

        /// The deployable function.
        public enum \(typeName)Function: LambdaFunction {
            /// The Lambda runtime serving `GET \(path)`.
            public static func runtime() -> LambdaRuntime { LambdaRuntime(\(typeName)Routes.application(observability: .lambda())) }

            /// The routes, for `--describe`.
            public static var description: FunctionDescription { FunctionDescription(router: \(typeName)Routes.application().router) }
        }

        """
    }

    private var routes: String {
        let handler: String = switch authorizer {
        case .none:
            """
                    router.get("\(path)", requires: .public) { _, _ in
                        ["message": "Hello from \(name)"]
                    }
            """
        case .request:
            """
                    router.get("\(path)", requires: \(requirement)) { request, context in
                        // The REQUEST authorizer allowed this tenant's callers only; check again here (defence in depth).
                        let tenant = request.pathParameters["tenantId"] ?? ""
                        try context.require(claim: "tenant", equals: tenant, otherwise: "not a member of tenant \\(tenant)")
                        return ["message": "Hello, \\(context.caller.subject), from \(name) of \\(tenant)"]
                    }
            """
        case .jwt, .token:
            """
                    router.get("\(path)", requires: \(requirement)) { _, context in
                        ["message": "Hello, \\(context.caller.subject), from \(name)"]
                    }
            """
        }
        return """
            public import HTTP
            \(scope == nil ? "" : "import Policy\n")
            /// The \(name) service's routes: each says what it requires, and that is the one truth the template, the docs,
            /// OpenAPI and the authorization matrix are checked against (`gatehouse check`).
            public enum \(typeName)Routes {
                /// `GET \(path)`.
                public static func application(observability: Observability? = nil) -> Application {
                    var router = Router()
            \(handler)
                    return Application(router: router, observability: observability)
                }
            }

            """
    }

    private var scopes: String {
        """
        public import Policy

        extension Scope {
            /// What `GET \(path)` requires.
            public static let \(scopeIdentifier): Scope = "\(scope ?? "")"
        }

        """
    }

    private var tests: String {
        let call: (String) -> String, allowed: String, refused: String, anonymous: String
        switch authorizer {
        case .jwt, .none:
            call = { "TestEvents.httpAPI(\"GET\", \"\(path)\", \($0))" }
            allowed = call(#"claims: ["sub": "dev-service@clients"], scopes: ["\#(scope ?? "")"]"#)
            refused = call(#"claims: ["sub": "reader-service@clients"], scopes: []"#)
            anonymous = call("claims: nil")
        case .token, .request:
            let concrete = path.replacingOccurrences(of: "{tenantId}", with: "acme")
            let parameters = authorizer == .request ? #", resource: "\#(path)", pathParameters: ["tenantId": "acme"]"# : ""
            call = { "TestEvents.rest(\"GET\", \"\(concrete)\"\(parameters), context: \($0))" }
            let tenant = authorizer == .request ? #", "tenant": "acme""# : ""
            allowed = call(#"["principalId": "ada@example.com", "sub": "ada@example.com", "scope": "\#(scope ?? "")"\#(tenant)]"#)
            refused = call(#"["principalId": "bob@example.com", "sub": "bob@example.com", "scope": "other"\#(tenant)]"#)
            anonymous = call("nil")
        }
        let checks = scope == nil
            ? "        #expect(try await app.call(\(anonymous)).status == 200)\n"
            : """
                    #expect(try await app.call(\(allowed)).status == 200)
                    let refused = try await app.call(\(refused))
                    #expect(refused.status == 403 && refused.body == #"{"message":"missing scope \(scope ?? "")"}"#)
                    #expect(try await app.call(\(anonymous)).status == 401)

            """
        return """
            import HTTP
            import HTTPTesting
            import Testing
            @testable import \(typeName)

            /// `GET \(path)` on the repository's real event samples, as the authorizer leaves them.
            @Suite struct \(typeName)RoutesTests {
                @Test func theRouteAnswersWhatItRequires() async throws {
                    let app = \(typeName)Routes.application()
            \(checks)    }
            }

            """
    }

    private var readme: String {
        let guard_: String = switch authorizer {
        case .jwt: "HTTP API JWT authorizer (the dev identity provider's tokens)"
        case .token: "REST TOKEN authorizer (`Authorization: Bearer …`)"
        case .request: "REST REQUEST authorizer (the token's tenant must equal `tenantId`)"
        case .none: "nothing (public)"
        }
        let concrete = path.replacingOccurrences(of: "{tenantId}", with: "acme")
        // dev-service holds the scope (`gatehouse new` granted it); a tenant route needs a user's token with a tenant.
        let token = authorizer == .request
            ? "gatehouse users set-permissions ada@example.com \"read:profile write:wishlist \(scope ?? "")\"\n"
                + #"TOKEN=$(curl -s localhost:3000/login -d '{"email":"ada@example.com","password":"correct horse battery staple"}' | jq -r .token)"#
            : "TOKEN=$(.build/release/gatehouse token --client dev-service --secret dev-service-secret)"
        return """
            # \(name)

            Made by `gatehouse new \(name) --authorizer \(authorizer.rawValue)\(scope.map { " --scope \($0)" } ?? "")`.

            | route | guarded by | handler requires | statuses |
            | --- | --- | --- | --- |
            | `GET \(path)` | \(guard_) | `\(requirement)` | \(scope == nil ? "200" : "200, 401, 403 `{\"message\":\"missing scope \(scope ?? "")\"}`") |

            No environment variables. `gatehouse check` (run by `make lint`) keeps template.json and this route agreeing.

            ```sh
            \(scope == nil ? "" : token + "\n")curl -s localhost:3000\(concrete)\(scope == nil ? "" : " -H \"Authorization: Bearer $TOKEN\"")
            ```

            """
    }
}
