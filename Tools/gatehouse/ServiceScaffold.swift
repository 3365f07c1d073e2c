/// The files of a new app that is not decided by policies: its routes (`--route`, one `GET /NAME` by default), each
/// requiring the scope, a `{tenantId}` in a path checked against the caller's tenant, and with `--table` a typed store
/// on the app's own table that the handlers list, read, create and delete items in. What is left to write is the
/// business: the item's fields, the store's queries, what a handler does beyond that.
extension AppScaffold {
    /// `NotesItem`: what the app stores and answers.
    var itemType: String { typeName + "Item" }
    /// Whether the app has item bodies (a table, or a route that creates).
    var hasItems: Bool { table || serviceRoutes.contains { $0.method == "POST" } }
    /// The expression naming the partition a handler works in: the path's tenant (checked), else the caller's own.
    private func partition(_ route: ScaffoldRoute) -> String {
        route.isTenant ? "try tenant(of: request, context)" : authorizer == .none ? "\"public\"" : "context.caller.subject"
    }

    var serviceFunction: String {
        guard table else {
            return """
                public import HTTP
                public import Runtime

                /// The deployable function.
                public enum \(typeName)Function: LambdaFunction {
                    /// The Lambda runtime serving the routes.
                    public static func runtime() -> LambdaRuntime { LambdaRuntime(\(typeName)Routes.application(observability: .lambda())) }

                    /// The routes, for `--describe`.
                    public static var description: FunctionDescription { FunctionDescription(router: \(typeName)Routes.application().router) }
                }

                """
        }
        return """
            public import HTTP
            public import Runtime
            import Storage

            /// The deployable function: its table from the environment (`TABLE_NAME`, `GATEHOUSE_STORAGE`), opened at
            /// init.
            public enum \(typeName)Function: LambdaFunction {
                /// The Lambda runtime serving the routes.
                public static func runtime() throws -> LambdaRuntime {
                    let table = try StorageBackend.fromEnvironment().openTable(name: try requiredEnvironment("TABLE_NAME"),
                                                                               schema: \(typeName)Store.schema)
                    return LambdaRuntime(\(typeName)Routes.application(store: \(typeName)Store(table: table), observability: .lambda()))
                }

                /// The routes, for `--describe` (on an in-memory table: no environment is read).
                public static var description: FunctionDescription {
                    let store = \(typeName)Store(table: MemoryTable(schema: \(typeName)Store.schema))
                    return FunctionDescription(router: \(typeName)Routes.application(store: store).router)
                }
            }

            """
    }

    var serviceRoutesFile: String {
        let handlers = serviceRoutes.map(handler).joined(separator: "\n")
        let tenantRoutes = serviceRoutes.contains(where: \.isTenant)
        let helpers = (tenantRoutes ? """

                /// The path's tenant, which must be the caller's own (its token's tenant claim): 403 otherwise.
                private static func tenant(of request: HTTPRequest, _ context: AuthenticatedContext) throws -> String {
                    let tenant = request.pathParameters["tenantId"] ?? ""
                    try context.require(claim: "tenant", equals: tenant, otherwise: "not a member of tenant \\(tenant)")
                    return tenant
                }

            """ : "") + (serviceRoutes.contains { $0.method == "POST" } ? """

                /// A new item's id: the invocation's own (a replayed event makes no second item), else a random one.
                private static func newID(_ request: HTTPRequest) -> String {
                    request.invocationID.isEmpty ? String(UInt64.random(in: 0...UInt64.max), radix: 36) : request.invocationID
                }

            """ : "")
        // The dev identity provider sends the tenant as a namespaced claim; the handlers read it as `tenant`.
        let claimNames = tenantRoutes && authorizer == .jwt ? #", claimNames: ["https://gatehouse.dev/tenant": "tenant"]"# : ""
        return """
            public import HTTP
            \(scope == nil ? "" : "import Policy\n")
            /// The \(name) service's routes: each says what it requires, and that is the one truth the template, the
            /// docs, OpenAPI and the authorization matrix are checked against (`gatehouse check`).
            public enum \(typeName)Routes {
                /// \(serviceRoutes.map { "`\($0.name)`" }.joined(separator: ", ")).
                public static func application(\(table ? "store: \(typeName)Store, " : "")observability: Observability? = nil) -> Application {
                    var router = Router()
            \(handlers)
                    return Application(router: router\(claimNames), observability: observability)
                }
            \(helpers)}

            """
    }

    /// One route's handler, as the router's helper for its method declares it. The partition comes first, so a
    /// caller of another tenant is refused (403) before its body is read.
    private func handler(_ route: ScaffoldRoute) -> String {
        var documented = ""
        var body = table || route.isTenant ? ["let partition = \(partition(route))"] : []
        switch (route.method, route.itemParameter) {
        case ("POST", _):
            documented = ",\n                    documented: .init(request: New\(itemType).self, responses: [201: \(itemType).Created.self])"
            body += ["let text = try request.decode(New\(itemType).self).validatedText()",
                     "let item = \(itemType)(id: newID(request), text: text)"]
            body += table ? ["try await store.add(item, in: partition)"] : ["_ = partition"].filter { _ in route.isTenant }
            body.append("return try .created(\(itemType).Created(id: item.id))")
        case ("DELETE", let id):
            documented = ",\n                    documented: .init(responses: [204: NoContent.self])"
            body += table ? ["try await store.delete(request.pathParameters[\"\(id ?? "id")\"] ?? \"\", in: partition)"]
                : ["_ = partition"].filter { _ in route.isTenant }
            body.append("return HTTPResponse(status: .noContent)")
        case (_, let id?) where table:
            documented = ",\n                    documented: .init(errors: [404: \"no such item\"])"
            body += ["guard let item = try await store.item(request.pathParameters[\"\(id)\"] ?? \"\", in: partition) else {",
                     "    throw HTTPError(.notFound, \"no such item\")", "}", "return try .ok(item)"]
        case _ where table:
            body.append("return try .ok(\(typeName)Store.Listing(items: try await store.items(in: partition)))")
        default:
            let who = authorizer == .none ? "" : ", \\(context.caller.subject)"
            body.append(route.isTenant ? "return [\"message\": \"Hello\(who), from \(name) of \\(partition)\"]"
                : "return [\"message\": \"Hello\(who), from \(name)\"]")
        }
        let text = body.joined()
        let uses = text.contains("request") ? "request" : "_", context = text.contains("context") ? "context" : "_"
        let lines = body.map { "            " + $0 }.joined(separator: "\n")
        return """
                    router.\(route.routerMethod)("\(route.path)", requires: \(requirement)\(documented)) { \(uses), \(context) in
            \(lines)
                    }
            """
    }
}
