/// One layer of the onion: it sees the request on the way in and the response on the way out, and decides
/// whether to call `next`.
///
/// The order is fixed and tested (outermost first):
/// 1. error rendering: any thrown error becomes a response (`HTTPError` as `{"message"}`, anything else a bare 500);
/// 2. CORS, when configured: preflight answers and response headers;
/// 3. your middleware, in the order given;
/// 4. the router: 404/405, 413, then the route's requirement (401/403), then the handler.
public protocol Middleware: Sendable {
    /// Handles `request`, usually by calling `next`.
    func handle(_ request: HTTPRequest, next: @Sendable (HTTPRequest) async throws -> HTTPResponse) async throws -> HTTPResponse
}

/// Cross-origin resource sharing for browser callers.
public struct CORS: Middleware {
    /// Origins allowed to call (`*` for any).
    public var allowedOrigins: Set<String>
    /// Headers a browser may send.
    public var allowedHeaders: [String]
    /// Seconds a preflight answer may be cached.
    public var maxAge: Int

    /// A CORS policy.
    public init(allowedOrigins: Set<String>, allowedHeaders: [String] = ["authorization", "content-type"], maxAge: Int = 600) {
        self.allowedOrigins = allowedOrigins
        self.allowedHeaders = allowedHeaders
        self.maxAge = maxAge
    }

    public func handle(_ request: HTTPRequest, next: @Sendable (HTTPRequest) async throws -> HTTPResponse) async throws
        -> HTTPResponse
    {
        guard let origin = request.header("origin"), allowedOrigins.contains("*") || allowedOrigins.contains(origin) else {
            return try await next(request)
        }
        var headers = ["access-control-allow-origin": allowedOrigins.contains("*") ? "*" : origin, "vary": "Origin"]
        if request.method == "OPTIONS", request.header("access-control-request-method") != nil {
            headers["access-control-allow-methods"] = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
            headers["access-control-allow-headers"] = allowedHeaders.joined(separator: ", ")
            headers["access-control-max-age"] = String(maxAge)
            return HTTPResponse(status: .noContent, headers: headers)
        }
        var response: HTTPResponse
        do {
            response = try await next(request)
        } catch let error as HTTPError {
            response = .rendering(error)  // browsers only read error bodies that carry CORS headers too
        }
        response.headers.merge(headers) { existing, _ in existing }
        return response
    }
}

/// The router behind the fixed middleware order.
public struct Application: Sendable {
    /// The routes.
    public let router: Router
    private let claimNames: [String: String]
    private let observability: Observability?
    private let onError: @Sendable (HTTPRequest, any Error) -> Void
    /// The layers around the router, composed once.
    private let chain: @Sendable (HTTPRequest) async throws -> HTTPResponse

    /// An application of `router` behind `cors` (optional) and `middleware` (in order). `claimNames` gives a
    /// claim one name in `Caller.claims` whichever authorizer ran (`["https://example.com/tenant": "tenant"]`: a
    /// JWT authorizer passes the token's namespaced claim, a Lambda authorizer its context key). `onError` sees
    /// every error that became a 500, for logging. With `observability`, every request to a route is measured and
    /// every request to a protected route audited.
    public init(router: Router, cors: CORS? = nil, middleware: [any Middleware] = [], claimNames: [String: String] = [:],
                observability: Observability? = nil,
                onError: @escaping @Sendable (HTTPRequest, any Error) -> Void = { _, _ in }) {
        self.router = router
        self.claimNames = claimNames
        self.observability = observability
        self.onError = onError
        var chain: @Sendable (HTTPRequest) async throws -> HTTPResponse = { try await router.dispatch($0) }
        for layer in ((cors.map { [$0] } ?? []) + middleware).reversed() {
            let inner = chain
            chain = { try await layer.handle($0, next: inner) }
        }
        self.chain = chain
    }

    /// Runs the request through every layer; never throws.
    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        var request = request
        if !claimNames.isEmpty { request.caller = request.caller?.naming(claimNames) }
        guard let observability, let matched = router.match(request) else { return await run(request) }
        request.matched = matched
        let route = matched.route
        let start = monotonicMilliseconds()
        let log = route.requirement == nil ? nil : PolicyDecisionLog()
        let response = await PolicyDecisionLog.$current.withValue(log) { await run(request) }
        let name = "\(route.method) \(route.path)"
        let served = Observability.Served(status: response.status.rawValue, milliseconds: monotonicMilliseconds() - start)
        guard route.requirement != nil else {
            observability.recordRequest(route: name, served)
            return response
        }
        // A protected route's request and decision are one metric line (one `write`), then the audit line.
        let requestID = request.invocationID.isEmpty ? request.requestID : request.invocationID
        if let policy = log?.recorded.last(where: { !$0.decision.allowed }) ?? log?.recorded.last {
            observability.recordPolicyDecision(policy, subject: request.caller?.subject, route: name, requestID: requestID,
                                               served: served)
        } else {
            let (allowed, reason) = Observability.handlerDecision(response.status, refusal: log?.refusalReason)
            observability.recordDecision(.handler, allowed: allowed, reason: reason, subject: request.caller?.subject,
                                         route: name, requestID: requestID, served: served)
        }
        return response
    }

    private func run(_ request: HTTPRequest) async -> HTTPResponse {
        do {
            return try await chain(request)
        } catch {
            if !(error is any HTTPRenderableError) { onError(request, error) }
            return .rendering(error)
        }
    }
}
