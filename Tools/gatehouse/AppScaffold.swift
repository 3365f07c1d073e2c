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
    /// The scope the route requires; nil for a public route (or one decided by policies).
    let scope: String?
    /// With `--policy`: the resource, action and policies the route's handler asks (the route then requires an
    /// authenticated caller, and the policies decide).
    var policy: PolicyScaffold? = nil
    /// `--route`s; `GET path` when none was given.
    var routesGiven: [ScaffoldRoute] = []
    /// `--table`: the app gets its own table and a store its handlers use.
    var table = false
    /// `--grant`: the dev users granted the scope (besides `dev-service`).
    var grants: [String] = []

    /// `OrderHistory`.
    var typeName: String { name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined() }
    /// The default route's path.
    var path: String { authorizer == .request ? "/tenants/{tenantId}/\(name)" : "/\(name)" }
    /// The routes: those given, else `GET path`.
    var serviceRoutes: [ScaffoldRoute] { routesGiven.isEmpty ? [ScaffoldRoute(method: "GET", path: path)] : routesGiven }
    /// `read:greeting` → `readGreeting`.
    var scopeIdentifier: String {
        let words = (scope ?? "").split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        return words.enumerated().map { $0 == 0 ? $1.lowercased() : $1.prefix(1).uppercased() + $1.dropFirst() }.joined()
    }

    /// Relative path → content.
    var files: [(String, String)] {
        let library = "Apps/\(typeName)/Sources/\(typeName)/"
        var files = [
            (library + "\(typeName)Function.swift", policy == nil ? serviceFunction : policyFunction),
            (library + "Routes.swift", policy.map(policyRoutes) ?? serviceRoutesFile),
            ("Apps/\(typeName)/Sources/\(name)/main.swift", "import HTTP\nimport \(typeName)\nawait \(typeName)Function.main()\n"),
            ("Apps/\(typeName)/Tests/\(typeName)Tests/\(typeName)RoutesTests.swift", tests),
            ("Apps/\(typeName)/README.md", readme),
        ]
        if scope != nil { files.insert((library + "Scopes.swift", scopes), at: 2) }
        if policy == nil, hasItems { files.insert((library + "\(itemType).swift", itemFile), at: 2) }
        if policy == nil, table { files.insert((library + "\(typeName)Store.swift", storeFile), at: 2) }
        if let policy {
            files.insert((library + "\(policy.resourceType).swift", policy.resource), at: 2)
            files += [("Apps/\(typeName)/policies/schema.cedarschema", policy.schema),
                      ("Apps/\(typeName)/policies/\(name).cedar", policy.text)]
        }
        return files
    }

    /// What the route requires, as the router's argument (`.scope(.readGreeting)`).
    var requirement: String {
        policy != nil ? ".authenticated" : scope == nil ? ".public" : ".scope(.\(scopeIdentifier))"
    }

    /// The function of a policy app: its policies from `GATEHOUSE_POLICIES`, checked at init.
    private var policyFunction: String {
        """
        public import HTTP
        public import Runtime

        /// The deployable function: its policies from `GATEHOUSE_POLICIES` (the files in `policies/` by default),
        /// checked at init.
        public enum \(typeName)Function: LambdaFunction {
            /// The Lambda runtime serving `GET \(path)`.
            public static func runtime() throws -> LambdaRuntime {
                LambdaRuntime(\(typeName)Routes.application(policies: try PolicyBackend.fromEnvironment(), observability: .lambda()))
            }

            /// The routes, for `--describe` (no policies are read).
            public static var description: FunctionDescription {
                FunctionDescription(router: \(typeName)Routes.application(policies: nil).router)
            }
        }

        """
    }

    private func policyRoutes(_ policy: PolicyScaffold) -> String {
        """
        public import HTTP

        /// The \(name) service's routes: each says what it requires and which actions its handler asks the policies
        /// (`policies/`), the one truth the template, OpenAPI and the authorization matrix are checked against.
        public enum \(typeName)Routes {
            /// `GET \(path)`, decided by `policies`.
            public static func application(policies: (any PolicyDecider)?, observability: Observability? = nil) -> Application {
                var router = Router(policies: policies)
                router.get("\(path)", requires: .authenticated, asks: [.\(policy.actionIdentifier)]) { _, context in
                    // Load the resource first (a sample here, your store next), then ask the policies about it.
                    let record = \(policy.resourceType).policySample
                    try await context.authorize(.\(policy.actionIdentifier), on: record)
                    return try .ok(["id": record.id, "owner": record.owner])
                }
                // The dev identity provider's tenant and groups claims, under the names the principal is built from.
                return Application(router: router, claimNames: ["https://gatehouse.dev/tenant": "tenant",
                                                                "https://gatehouse.dev/groups": "groups"],
                                   observability: observability)
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
        if let policy {
            return """
                import HTTP
                import HTTPTesting
                import Testing
                @testable import \(typeName)

                /// `GET \(path)` on the repository's real event samples, decided by the app's own policy files.
                @Suite struct \(typeName)RoutesTests {
                    @Test func thePoliciesDecide() async throws {
                        let app = \(typeName)Routes.application(policies: try EmbeddedPolicies.forFunction())
                        let owner = ["sub": "\(policy.owner)", "https://gatehouse.dev/tenant": "\(policy.tenant)"]
                        #expect(try await app.call(TestEvents.httpAPI("GET", "\(path)", claims: owner)).status == 200)
                        let colleague = ["sub": "auth0|someone-else", "https://gatehouse.dev/tenant": "\(policy.tenant)"]
                        let refused = try await app.call(TestEvents.httpAPI("GET", "\(path)", claims: colleague))
                        #expect(refused.status == 403 && refused.body == #"{"message":"not allowed: \(policy.action)"}"#)
                        let stranger = ["sub": "\(policy.owner)", "https://gatehouse.dev/tenant": "another-tenant"]
                        #expect(try await app.call(TestEvents.httpAPI("GET", "\(path)", claims: stranger)).status == 403)
                        #expect(try await app.call(TestEvents.httpAPI("GET", "\(path)", claims: nil)).status == 401)
                    }
                }

                """
        }
        return serviceTests
    }

    private var readme: String {
        if let policy {
            return """
                # \(name)

                Made by `gatehouse new \(name) --policy`.

                | route | guarded by | handler requires | asks (Cedar) | statuses |
                | --- | --- | --- | --- | --- |
                | `GET \(path)` | HTTP API JWT authorizer (the dev identity provider's tokens) | `.authenticated` | `\(policy.action)` | 200, 401, 403 `{"message":"not allowed: \(policy.action)"}` |

                The policies are in `policies/` (`\(name).cedar`, `schema.cedarschema`): the owner of a record may view it, and
                nobody across tenants. The handler loads the record (`\(policy.resourceType).sample`, owned by \(policy.owner)
                of \(policy.tenant): replace it with your store), then asks. `gatehouse check` validates the policies and the
                action; `gatehouse sync-policies` keeps the template's Verified Permissions resources equal to the files;
                `gatehouse matrix --diff HEAD` shows what a policy edit changes. Environment: `GATEHOUSE_POLICIES`
                (`embedded`, the default, or `avp:STORE_ID`).

                ```sh
                TOKEN=$(.build/release/gatehouse token --user EMAIL --password PASSWORD)   # a dev user (dev/identities.json)
                curl -s localhost:3000\(path) -H "Authorization: Bearer $TOKEN"
                ```

                """
        }
        return serviceReadme
    }
}
