extension Router {
    /// Adds a public route whose handler returns any `Encodable`: answered 200 with it as JSON.
    public mutating func on<Output: Encodable & Sendable>(
        _ method: String, _ path: String, requires access: PublicAccess, documented: BodyDocumentation = BodyDocumentation(),
        _ handler: @escaping @Sendable (HTTPRequest, RequestContext) async throws -> Output
    ) {
        on(method, path, requires: access, documented: documented) { request, context in try .ok(try await handler(request, context)) }
    }

    /// Adds a protected route whose handler returns any `Encodable`: answered 200 with it as JSON.
    public mutating func on<Output: Encodable & Sendable>(
        _ method: String, _ path: String, requires requirement: Requirement,
        documented: BodyDocumentation = BodyDocumentation(),
        _ handler: @escaping @Sendable (HTTPRequest, AuthenticatedContext) async throws -> Output
    ) {
        on(method, path, requires: requirement, documented: documented) { request, context in try .ok(try await handler(request, context)) }
    }

    /// Adds a public `GET` route answering 200 with the handler's `Encodable` value.
    public mutating func get<Output: Encodable & Sendable>(
        _ path: String, requires access: PublicAccess, documented: BodyDocumentation = BodyDocumentation(),
        _ handler: @escaping @Sendable (HTTPRequest, RequestContext) async throws -> Output
    ) {
        on("GET", path, requires: access, documented: documented, handler)
    }

    /// Adds a protected `GET` route answering 200 with the handler's `Encodable` value.
    public mutating func get<Output: Encodable & Sendable>(
        _ path: String, requires requirement: Requirement, documented: BodyDocumentation = BodyDocumentation(),
        _ handler: @escaping @Sendable (HTTPRequest, AuthenticatedContext) async throws -> Output
    ) {
        on("GET", path, requires: requirement, documented: documented, handler)
    }
}
