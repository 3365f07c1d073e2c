import HTTP
import JWT

/// API Gateway on one machine: for each route of the template, the route's authorizer as API Gateway runs it (the
/// built-in JWT authorizer, or a Lambda TOKEN/REQUEST authorizer with result caching and IAM policy evaluation),
/// then the function with the payload version of the route's API type. Answers are API Gateway's (SPEC §3).
final class Gateway: Sendable {
    /// Runs a function on an event (bytes) for a request id; nil when the instance failed to answer at all.
    typealias Invoke = @Sendable (LocalTemplate.Function, [UInt8], String) async -> InvocationOutcome?

    /// The REST stage every REST route is also served under (`/dev/profile`).
    static let restStage = "dev"

    private let application: Application
    private let restRoutes: Router

    /// A gateway for `template` invoking functions with `invoke`; the JWT authorizer trusts `issuer`'s `jwks`.
    init(template: LocalTemplate, issuer: String, jwks: JWKSet, invoke: @escaping Invoke) {
        let handler = RouteHandler(template: template, jwt: JWTAuthorizer(issuer: issuer, keys: jwks),
                                   lambda: LambdaAuthorizers(template: template, invoke: invoke), invoke: invoke)
        var router = Router(), rest = Router()
        for route in template.routes {
            router.on(route.method, route.path, requires: .public) { request, _ in await handler.handle(route, request) }
            if route.api == .rest { rest.on(route.method, route.path, requires: .public) { _, _ in .message(.ok, "") } }
        }
        application = Application(router: router)
        restRoutes = rest
    }

    /// The answer to `request`, as API Gateway gives it.
    func respond(to request: HTTPRequest) async -> HTTPResponse {
        var request = request
        let prefix = "/\(Self.restStage)/"
        let underStage = request.path.hasPrefix(prefix)
        if underStage { request.path = String(request.path.dropFirst(prefix.count - 1)) }
        let routed = await application.respond(to: request)
        guard routed.status == .notFound || routed.status == .methodNotAllowed else { return routed }
        // A REST API answers 403 for a path it knows with another method, and for anything under its stage.
        let restKnowsPath = await restRoutes.dispatchStatus(request) == .methodNotAllowed
        if underStage || restKnowsPath { return .message(.forbidden, "Missing Authentication Token") }
        return .message(.notFound, "Not Found")  // an HTTP API: a method without a route is simply no route
    }
}

/// One route's way through the gateway: its authorizer, then its function.
private struct RouteHandler: Sendable {
    let template: LocalTemplate
    let jwt: JWTAuthorizer
    let lambda: LambdaAuthorizers
    let invoke: Gateway.Invoke

    static let badGateway = HTTPResponse.message(HTTPStatus(rawValue: 502), "Internal Server Error")

    func handle(_ route: LocalTemplate.Route, _ request: HTTPRequest) async -> HTTPResponse {
        guard let function = template.functions[route.function] else { return Self.badGateway }
        let event: [UInt8]
        switch (route.authorizer, route.api) {
        case (.jwt(let audiences), _):
            switch jwt.authorize(request, audiences: audiences, scopes: route.scopes) {
            case .success(let block): event = GatewayEvents.httpAPI(request, routeKey: route.name, authorizer: block)
            case .failure(let refusal): return refusal.response
            }
        case (.none, .http):
            event = GatewayEvents.httpAPI(request, routeKey: route.name, authorizer: nil)
        case (.none, .rest):
            event = GatewayEvents.rest(request, resource: route.path, authorizer: nil)
        case (.token, _), (.request, _):
            switch await lambda.authorize(route, request) {
            case .allow(let context):
                event = route.api == .rest ? GatewayEvents.rest(request, resource: route.path, authorizer: context)
                    : GatewayEvents.httpAPI(request, routeKey: route.name, authorizer: .object(["lambda": .object(context)]))
            case .refuse(let response):
                return response
            }
        }
        guard case .response(let bytes)? = await invoke(function, event, request.requestID),
              let response = GatewayEvents.response(bytes)
        else { return Self.badGateway }
        return response
    }
}

extension Router {
    /// The status `dispatch` would answer `request` with before any handler runs: 404, 405, or 200 when a route
    /// would take it.
    func dispatchStatus(_ request: HTTPRequest) async -> HTTPStatus {
        do {
            _ = try await dispatch(request)
            return .ok
        } catch let error as HTTPError {
            return error.status
        } catch {
            return .internalServerError
        }
    }
}
