import Policy
import Transport

/// Routes by method and path template; every route says what it requires, as data.
///
/// ```swift
/// router.post("/wish-list", requires: .scope("write:wishlist")) { request, context in
///     let item = try request.decode(NewItem.self)              // 400 with a reason
///     return try .created(["id": await items.add(item, by: context.caller)])
/// }
/// router.get("/wish-list", requires: .public) { _, _ in try .ok(await items.all()) }
/// ```
public struct Router: Sendable {
    /// One route, for listing (`gatehouse routes`) and tests.
    public struct Route: Sendable {
        /// The method.
        public let method: String
        /// The path template.
        public let path: String
        /// nil for public routes.
        public let requirement: Requirement?
        /// Its bodies' schemas and examples, when the route documents them.
        public let documentation: BodyDocumentation
        /// The Cedar actions its handler asks the policies about (`asks:`), in the order declared.
        public let actions: [PolicyAction]
        let template: PathTemplate
        /// Runs the handler for the request's caller (`request.caller`, the one place the caller travels).
        let handler: @Sendable (HTTPRequest) async throws -> HTTPResponse
    }

    /// The routes in the order they were added.
    public private(set) var routes: [Route] = []
    /// Largest accepted request body; larger ones get 413.
    public var maxBodyBytes: Int
    /// The policies protected routes' handlers ask with `authorize(_:on:)`.
    public let policies: (any PolicyDecider)?

    /// An empty router (6 MB bodies, API Gateway's Lambda payload limit), its handlers deciding with `policies`.
    public init(maxBodyBytes: Int = 6 * 1024 * 1024, policies: (any PolicyDecider)? = nil) {
        self.maxBodyBytes = maxBodyBytes
        self.policies = policies
    }

    /// Adds a public route; `documented` describes its bodies (for OpenAPI).
    public mutating func on(_ method: String, _ path: String, requires access: PublicAccess,
                            documented: BodyDocumentation = BodyDocumentation(),
                            _ handler: @escaping @Sendable (HTTPRequest, RequestContext) async throws -> HTTPResponse) {
        routes.append(Route(method: method.uppercased(), path: path, requirement: nil, documentation: documented,
                            actions: [], template: PathTemplate(path)) {
            request in try await handler(request, RequestContext(caller: request.caller))
        })
    }

    /// Adds a protected route: its handler only runs for a caller meeting `requirement`, and may ask the policies
    /// about the `actions` it declares (`asks: ["AddItem"]`).
    public mutating func on(_ method: String, _ path: String, requires requirement: Requirement,
                            asks actions: [PolicyAction] = [], documented: BodyDocumentation = BodyDocumentation(),
                            _ handler: @escaping @Sendable (HTTPRequest, AuthenticatedContext) async throws -> HTTPResponse) {
        let policies = self.policies
        routes.append(Route(method: method.uppercased(), path: path, requirement: requirement, documentation: documented,
                            actions: actions, template: PathTemplate(path)) {
            request in
            guard let caller = request.caller else {
                PolicyDecisionLog.current?.refuse("no token")
                throw HTTPError(.unauthorized, "Unauthorized", headers: ["www-authenticate": "Bearer"])
            }
            if let missing = requirement.scopeRequirement?.missing(from: caller.scopes) {
                PolicyDecisionLog.current?.refuse("missing scope")
                throw HTTPError(.forbidden, "missing scope \(missing.name)",
                                headers: ["www-authenticate": "Bearer error=\"insufficient_scope\", scope=\"\(missing.name)\""])
            }
            return try await handler(request, AuthenticatedContext(caller: caller, policies: policies, actions: actions))
        })
    }

    /// Adds a public `GET` route.
    public mutating func get(_ path: String, requires access: PublicAccess,
                             documented: BodyDocumentation = BodyDocumentation(),
                             _ handler: @escaping @Sendable (HTTPRequest, RequestContext) async throws -> HTTPResponse) {
        on("GET", path, requires: access, documented: documented, handler)
    }

    /// Adds a protected `GET` route.
    public mutating func get(_ path: String, requires requirement: Requirement, asks actions: [PolicyAction] = [],
                             documented: BodyDocumentation = BodyDocumentation(),
                             _ handler: @escaping @Sendable (HTTPRequest, AuthenticatedContext) async throws -> HTTPResponse) {
        on("GET", path, requires: requirement, asks: actions, documented: documented, handler)
    }

    /// Adds a public `POST` route.
    public mutating func post(_ path: String, requires access: PublicAccess,
                              documented: BodyDocumentation = BodyDocumentation(),
                              _ handler: @escaping @Sendable (HTTPRequest, RequestContext) async throws -> HTTPResponse) {
        on("POST", path, requires: access, documented: documented, handler)
    }

    /// Adds a protected `POST` route.
    public mutating func post(_ path: String, requires requirement: Requirement, asks actions: [PolicyAction] = [],
                              documented: BodyDocumentation = BodyDocumentation(),
                              _ handler: @escaping @Sendable (HTTPRequest, AuthenticatedContext) async throws -> HTTPResponse) {
        on("POST", path, requires: requirement, asks: actions, documented: documented, handler)
    }

    /// Adds a protected `DELETE` route.
    public mutating func delete(_ path: String, requires requirement: Requirement, asks actions: [PolicyAction] = [],
                                documented: BodyDocumentation = BodyDocumentation(),
                                _ handler: @escaping @Sendable (HTTPRequest, AuthenticatedContext) async throws -> HTTPResponse) {
        on("DELETE", path, requires: requirement, asks: actions, documented: documented, handler)
    }

    /// The methods of the routes whose path template matches `path` (empty: no route has this path).
    public func methods(forPath path: String) -> [String] {
        let parts = path.split(ascii: "/")
        return routes.filter { $0.template.match(parts: parts) != nil }.map(\.method)
    }

    /// The route that takes `request` (its method and path), if any.
    public func route(matching request: HTTPRequest) -> Route? { match(request)?.route }

    /// The first route taking `request`'s method and path, with the path parameters its template read.
    func match(_ request: HTTPRequest) -> Match? {
        let parts = request.path.split(ascii: "/")
        for route in routes where route.method == request.method || (route.method == "GET" && request.method == "HEAD") {
            if let parameters = route.template.match(parts: parts) {
                return Match(route: route, parameters: parameters, method: request.method, path: request.path)
            }
        }
        return nil
    }

    /// A route found for a method and path, kept so that a request is matched once on its way through.
    struct Match: Sendable {
        let route: Route
        let parameters: [String: String]
        let method: String
        let path: String
    }

    /// Finds the route and runs it: 404 without a matching path, 405 (with `Allow`) when only the method differs,
    /// 413 for an oversized body, then 401/403 from the route's requirement, then the handler. A route the
    /// application already found for the request (`request.matched`) is used while the request still has the method
    /// and path it was found for (a middleware may have changed them).
    public func dispatch(_ request: HTTPRequest) async throws -> HTTPResponse {
        let found = request.matched.flatMap { $0.method == request.method && $0.path == request.path ? $0 : nil }
            ?? match(request)
        guard let (route, parameters) = found.map({ ($0.route, $0.parameters) }) else {
            let allowed = methods(forPath: request.path)
            guard allowed.isEmpty else {
                throw HTTPError(.methodNotAllowed, "Method Not Allowed", headers: ["allow": allowed.joined(separator: ", ")])
            }
            throw HTTPError.notFound
        }
        guard request.body.count <= maxBodyBytes else {
            throw HTTPError(.payloadTooLarge, "request body is larger than \(maxBodyBytes) bytes")
        }
        var request = request
        request.pathParameters.merge(parameters) { _, fromTemplate in fromTemplate }
        return try await route.handler(request)
    }
}
