/// The test and the README of a new service: each route on the repository's real event samples as its authorizer
/// leaves them (allowed, refused for the scope, without a caller, from another tenant), and a table of the routes
/// with how to call them.
extension AppScaffold {
    /// The dev tenant the tests and the README call tenant paths with; `otherTenant` is refused.
    static let devTenant = "acme", otherTenant = "globex"

    var serviceTests: String {
        let app = table ? "\(typeName)Routes.application(store: \(typeName)Store(table: MemoryTable(schema: \(typeName)Store.schema)))"
            : "\(typeName)Routes.application()"
        let scopeText = scope ?? ""
        // The callers: a member of the dev tenant (holding the scope, and without it for a REST authorizer's context),
        // and a member of another tenant.
        let callers: [String] = switch authorizer {
        case .jwt, .none:
            [#"let member = ["sub": "auth0|ada@example.com", "https://gatehouse.dev/tenant": "\#(Self.devTenant)"]"#,
             #"let stranger = ["sub": "auth0|bob@example.com", "https://gatehouse.dev/tenant": "\#(Self.otherTenant)"]"#]
        case .token, .request:
            [#"let member = ["principalId": "ada@example.com", "sub": "ada@example.com", "scope": "\#(scopeText)", "tenant": "\#(Self.devTenant)"]"#,
             #"let unscoped = ["principalId": "ada@example.com", "sub": "ada@example.com", "scope": "", "tenant": "\#(Self.devTenant)"]"#,
             #"let stranger = ["principalId": "bob@example.com", "sub": "bob@example.com", "scope": "\#(scopeText)", "tenant": "\#(Self.otherTenant)"]"#]
        }
        let checks = serviceRoutes.map(checks).joined(separator: "\n")
        return """
            import HTTP
            import HTTPTesting
            \(table ? "import Storage\n" : "")import Testing
            @testable import \(typeName)

            /// Each route on the repository's real event samples, as the authorizer leaves them.
            @Suite struct \(typeName)RoutesTests {
                @Test func theRoutesAnswerWhatTheyRequire() async throws {
                    let app = \(app)
            \(declared(callers).map { "        " + $0 }.joined(separator: "\n"))
            \(checks)
                }
            }

            """
    }

    /// The expected status of `route` for an allowed caller, as the matrix calls it (an `example` item id).
    func allowedStatus(_ route: ScaffoldRoute) -> Int {
        route.method == "GET" && route.itemParameter != nil && table ? 404 : route.successStatus
    }

    /// The callers a test uses: none for public routes, the other tenant's member only when a path has a tenant.
    private func declared(_ callers: [String]) -> [String] {
        guard scope != nil else { return [] }
        return serviceRoutes.contains(where: \.isTenant) ? callers : callers.filter { !$0.hasPrefix("let stranger") }
    }

    /// A test's checks of one route: allowed, refused for the scope, without a caller, from another tenant.
    private func checks(_ route: ScaffoldRoute) -> String {
        let body = route.method == "POST" ? ##"#"{"text":"A first \##(name) item"}"#"## : "nil"
        let path = route.concrete(tenant: Self.devTenant)
        /// The call of the dev tenant's path by `caller` (a name the test declares, or nil) holding the scope or not.
        func call(_ caller: String?, scoped: Bool = true) -> String {
            switch authorizer {
            case .jwt, .none:
                let scopes = scoped ? scope.map { "[\"\($0)\"]" } ?? "[]" : "[]"
                return "app.call(TestEvents.httpAPI(\"\(route.method)\", \"\(path)\", body: \(body), claims: \(caller ?? "nil"), scopes: \(scopes)))"
            case .token, .request:
                let context = caller.map { scoped ? $0 : "unscoped" } ?? "nil"
                let resource = route.parameters.isEmpty ? "" : ", resource: \"\(route.path)\""
                return "app.call(TestEvents.rest(\"\(route.method)\", \"\(path)\"\(resource), body: \(body), context: \(context)))"
            }
        }
        var lines: [String]
        if let scope {
            lines = [
                "#expect(try await \(call("member")).status == \(allowedStatus(route)))",
                "let refused = try await \(call("member", scoped: false))",
                ##"#expect(refused.status == 403 && refused.body == #"{"message":"missing scope \##(scope)"}"#)"##,
                "#expect(try await \(call(nil)).status == 401)",
            ]
            if route.isTenant {
                lines.append("#expect(try await \(call("stranger")).status == 403)  // another tenant's member")
            }
        } else {
            lines = ["#expect(try await \(call(nil)).status == \(allowedStatus(route)))"]
        }
        return (["do {  // \(route.name)"] + lines.map { "    " + $0 } + ["}"]).map { "        " + $0 }.joined(separator: "\n")
    }

    var serviceReadme: String {
        let guardedBy: String = switch authorizer {
        case .jwt: "HTTP API JWT authorizer (the dev identity provider's tokens)"
        case .token: "REST TOKEN authorizer (`Authorization: Bearer …`)"
        case .request: "REST REQUEST authorizer (the token's tenant must equal `tenantId`)"
        case .none: "nothing (public)"
        }
        let rows = serviceRoutes.map { route -> String in
            let statuses = [String(allowedStatus(route) == 404 ? 200 : route.successStatus)]
                + (route.method == "POST" ? ["400"] : []) + (scope == nil ? [] : ["401", "403"])
                + (allowedStatus(route) == 404 ? ["404"] : [])
            return "| `\(route.name)` | \(guardedBy) | `\(requirement)`\(route.isTenant ? " and the caller's tenant" : "") | \(statuses.joined(separator: ", ")) |"
        }.joined(separator: "\n")
        let command = "gatehouse new \(name) --authorizer \(authorizer.rawValue)" + (scope.map { " --scope \($0)" } ?? "")
            + routesGiven.map { " --route \"\($0.name)\"" }.joined() + (table ? " --table" : "") + grants.map { " --grant \($0)" }.joined()
        let user = grants.first ?? "ada@example.com"
        let token = scope == nil ? ""
            : serviceRoutes.contains(where: \.isTenant) || authorizer == .request
            ? "TOKEN=$(.build/release/gatehouse token --user \(user) --password PASSWORD)   # a dev user holding \(scope!) (--grant)\n"
            : "TOKEN=$(.build/release/gatehouse token --client dev-service --secret dev-service-secret)\n"
        let calls = serviceRoutes.map { route in
            "curl -s -X \(route.method) localhost:3000\(route.concrete(tenant: Self.devTenant))"
                + (scope == nil ? "" : " -H \"Authorization: Bearer $TOKEN\"")
                + (route.method == "POST" ? #" -d '{"text":"A first \#(name) item"}'"# : "")
        }.joined(separator: "\n")
        return """
            # \(name)

            Made by `\(command)`.

            | route | guarded by | handler requires | statuses |
            | --- | --- | --- | --- |
            \(rows)

            \(table ? "Environment: `TABLE_NAME` (template.json's `\(typeName)Table`), `GATEHOUSE_STORAGE` (SQLite locally, DynamoDB on AWS). The items\nand their queries are yours to shape: `\(itemType).swift` and `\(typeName)Store.swift`." : "No environment variables.") `gatehouse check` (run by `make lint`) keeps template.json and these routes agreeing.

            ```sh
            \(token)\(calls)
            ```

            """
    }
}
