import JSON
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
    /// Each HTTP API with a CORS configuration: a router of its routes (to find the API a path belongs to) and it.
    private let corsAPIs: [(routes: Router, cors: CORSConfiguration)]
    private let restApplication: Application

    /// A gateway for `template` invoking functions with `invoke`; the JWT authorizer trusts `issuer`'s `jwks`,
    /// `AWS_IAM` routes the `iam` identities' signatures, Cognito authorizers the dev `pool`'s tokens. Its own
    /// authorization decisions are counted in `counts` (layer `gateway`).
    init(template: LocalTemplate, issuer: String, jwks: JWKSet, iam: [IAMAuthorizer.Identity] = [],
         pool: CognitoUserPool? = nil, apiKeys: [APIKey] = [], counts: MetricCounts = MetricCounts(),
         invoke: @escaping Invoke) {
        var keys = [issuer: jwks]
        if let pool { keys[pool.issuer] = pool.publicKeys }
        let handler = RouteHandler(template: template, jwt: JWTAuthorizer(keys: keys),
                                   iam: IAMAuthorizer(identities: iam), cognito: CognitoAuthorizer(pool: pool),
                                   lambda: LambdaAuthorizers(template: template, invoke: invoke), invoke: invoke,
                                   counts: counts, apiKeys: apiKeys)
        var router = Router(), rest = Router()
        let stage = "/\(Self.restStage)"
        for route in template.routes {
            router.on(route.method, route.path, requires: .public) { request, _ in
                await handler.handle(route, request, sentPath: request.path)
            }
            if route.api == .rest {
                rest.on(route.method, route.path, requires: .public) { request, _ in
                    await handler.handle(route, request, sentPath: stage + request.path)
                }
            }
        }
        application = Application(router: router)
        var byAPI: [String: (routes: Router, cors: CORSConfiguration)] = [:]
        for route in template.routes where route.api == .http {
            guard let cors = route.cors else { continue }
            var entry = byAPI[route.apiID] ?? (Router(), cors)
            entry.routes.on(route.method, route.path, requires: .public) { _, _ in HTTPResponse(status: .ok) }
            byAPI[route.apiID] = entry
        }
        corsAPIs = byAPI.keys.sorted().compactMap { byAPI[$0] }
        restApplication = Application(router: rest)
    }

    /// The CORS configuration that answers a preflight for `path`: that of the HTTP API with a route at the path
    /// (any method), else, when no route has the path, that of the only HTTP API with CORS (it answers any path).
    private func preflightConfiguration(for path: String) -> CORSConfiguration? {
        if let owner = corsAPIs.first(where: { !$0.routes.methods(forPath: path).isEmpty }) { return owner.cors }
        guard corsAPIs.count == 1, application.router.methods(forPath: path).isEmpty else { return nil }
        return corsAPIs[0].cors
    }

    /// The answer to `request`, as API Gateway gives it. REST routes answer at their path and under their stage
    /// (`/dev/profile`); a path a REST route knows with another method, or anything else under the stage, is 403.
    func respond(to request: HTTPRequest) async -> HTTPResponse {
        if CORSConfiguration.isPreflight(request), let cors = preflightConfiguration(for: request.path) {
            return GatewayHeaders.stamped(cors.preflight(request), api: .http, requestID: request.requestID, errorType: nil)
        }
        if application.router.route(matching: request) != nil { return await application.respond(to: request) }
        func missingToken() -> HTTPResponse {
            GatewayHeaders.stamped(.message(.forbidden, "Missing Authentication Token"), api: .rest,
                                   requestID: request.requestID, errorType: "MissingAuthenticationTokenException")
        }
        let prefix = "/\(Self.restStage)/"
        if request.path.hasPrefix(prefix) {
            var staged = request
            staged.path = String(request.path.dropFirst(prefix.count - 1))
            guard restApplication.router.route(matching: staged) != nil else { return missingToken() }
            return await restApplication.respond(to: staged)
        }
        if !restApplication.router.methods(forPath: request.path).isEmpty { return missingToken() }
        // An HTTP API: a method without a route is simply no route.
        return GatewayHeaders.stamped(.message(.notFound, "Not Found"), api: .http, requestID: request.requestID, errorType: nil)
    }
}

/// A dev API key (`dev/identities.json` → `apiKeys`): its id and the value clients send in `x-api-key`.
struct APIKey: Decodable, Sendable {
    var id: String
    var value: String
}

/// One route's way through the gateway: its authorizer, then its function.
private struct RouteHandler: Sendable {
    let template: LocalTemplate
    let jwt: JWTAuthorizer
    let iam: IAMAuthorizer
    let cognito: CognitoAuthorizer
    let lambda: LambdaAuthorizers
    let invoke: Gateway.Invoke
    let counts: MetricCounts
    /// The dev API keys (`x-api-key`).
    let apiKeys: [APIKey]
    let limits = RequestLimits()

    static let badGateway = HTTPResponse.message(.badGateway, "Internal Server Error")
    static let integrationFailure = "InternalServerErrorException"

    /// `sentPath` is the path as the client sent it, stage prefix included (what a SigV4 signature covers).
    func handle(_ route: LocalTemplate.Route, _ request: HTTPRequest, sentPath: String) async -> HTTPResponse {
        let (response, errorType) = await answer(route, request, sentPath: sentPath)
        let stamped = GatewayHeaders.stamped(response, api: route.api, requestID: request.requestID, errorType: errorType)
        return route.cors.map { $0.decorate(stamped, for: request) } ?? stamped
    }

    /// The answer, and its error type when the gateway gave it (a refusal) rather than the function. In API Gateway's order: the
    /// route's throttle, its authorizer, then (REST) the API key and its usage plan.
    private func answer(_ route: LocalTemplate.Route, _ request: HTTPRequest, sentPath: String) async
        -> (HTTPResponse, errorType: String?)
    {
        guard let function = template.functions[route.function] else { return (Self.badGateway, Self.integrationFailure) }
        let now = currentTime()
        if let throttle = route.throttle, !limits.take("route \(route.apiID) \(route.name)", throttle, now: now) {
            count(allowed: false, reason: "throttled", route)
            return (.message(.tooManyRequests, "Too Many Requests"), "TooManyRequestsException")
        }
        let vouched: Vouched
        switch await authorize(route, request, sentPath: sentPath, now: now) {
        case .success(let passed): vouched = passed
        case .failure(let refusal):
            var response = refusal.response
            // Refusals of other types carry their error type already (an authorizer's failure, a signature's).
            guard route.api == .rest, let type = refusal.type else { return (response, nil) }
            // The error type names the response type, whatever status a REST API's `GatewayResponses` gives it.
            response.headers["x-amzn-errortype"] = type.errorType
            return (route.gatewayResponses[type].map { $0.applied(to: response) } ?? response, type.errorType)
        }
        var identity = vouched.identity
        if route.apiKeyRequired {
            guard let value = GatewayEvents.headerValue(request, "x-api-key", api: .rest),
                  let key = apiKeys.first(where: { constantTimeEqual($0.value, value) }) else {
                count(allowed: false, reason: "no API key", route)
                return (.message(.forbidden, "Forbidden"), "ForbiddenException")
            }
            identity.apiKey = key.value
            identity.apiKeyId = key.id
            if let refusal = usagePlanRefusal(route, key: key, now: now) { return (refusal, "TooManyRequestsException") }
        }
        let event = route.api == .rest
            ? GatewayEvents.rest(request, resource: route.path, sentPath: sentPath, authorizer: vouched.rest, identity: identity,
                                 stageVariables: route.stageVariables)
            : GatewayEvents.httpAPI(request, routeKey: route.name, authorizer: vouched.http, stageVariables: route.stageVariables)
        guard case .response(let bytes)? = await invoke(function, event, request.requestID),
              let response = GatewayEvents.response(bytes)
        else { return (Self.badGateway, Self.integrationFailure) }
        return (response, nil)
    }

    /// What an authorizer vouched for: the REST `authorizer` block or the HTTP API's, and REST identity members.
    private struct Vouched {
        var rest: [String: JSONValue]?
        var http: APIGatewayV2Request.RequestContext.Authorizer?
        var identity = APIGatewayV1Request.RequestContext.Identity()
    }

    /// The route's authorizer, as API Gateway runs it; its decision counted.
    private func authorize(_ route: LocalTemplate.Route, _ request: HTTPRequest, sentPath: String,
                           now: Double) async -> Result<Vouched, GatewayRefusal> {
        let outcome: Result<Vouched, GatewayRefusal>
        let allowed: String
        switch route.authorizer {
        case .none:
            return .success(Vouched())
        case .jwt(let issuer, let audiences):
            outcome = jwt.authorize(request, issuer: issuer, audiences: audiences, scopes: route.scopes).map { Vouched(http: $0) }
            allowed = "valid token"
        case .cognito(let header):
            outcome = cognito.authorize(request, header: header, scopes: route.scopes).map { Vouched(rest: $0) }
            allowed = "valid token"
        case .iam:
            outcome = iam.authorize(request, path: sentPath, api: route.api, now: now).map { identity in
                route.api == .rest ? Vouched(identity: IAMAuthorizer.restIdentity(identity))
                    : Vouched(http: IAMAuthorizer.httpAuthorizer(identity))
            }
            allowed = "valid signature"
        case .token, .request:
            switch await lambda.authorize(route, request, sentPath: sentPath) {
            case .allow(let context):
                outcome = .success(route.api == .rest ? Vouched(rest: context) : Vouched(http: .init(lambda: context)))
            case .refuse(let refusal):
                outcome = .failure(refusal)
            }
            allowed = "authorizer allowed"
        }
        switch outcome {
        case .success: count(allowed: true, reason: allowed, route)
        case .failure(let refusal): count(allowed: false, reason: refusal.reason, route)
        }
        return outcome
    }

    /// The usage plan's answer when `key` is over its throttle (429 Too Many Requests) or its quota (429 Limit
    /// Exceeded); nil when within both.
    private func usagePlanRefusal(_ route: LocalTemplate.Route, key: APIKey, now: Double) -> HTTPResponse? {
        guard let plan = route.usagePlan else { return nil }
        if let throttle = plan.throttle, !limits.take("plan \(route.apiID) \(key.id)", throttle, now: now) {
            count(allowed: false, reason: "throttled", route)
            return .message(.tooManyRequests, "Too Many Requests")
        }
        if let quota = plan.quota, !limits.count("quota \(route.apiID) \(key.id)", quota, now: now) {
            count(allowed: false, reason: "quota", route)
            return .message(.tooManyRequests, "Limit Exceeded")
        }
        return nil
    }

    /// Counts one decision of the gateway's (as API Gateway's own metrics would on AWS).
    private func count(allowed: Bool, reason: String, _ route: LocalTemplate.Route) {
        counts.add(MetricRecord(dimensions: [("Layer", "gateway"), ("Decision", allowed ? "allow" : "deny"),
                                             ("Reason", reason), ("Route", route.name)],
                                metrics: [("AuthorizationDecisions", 1, false)]))
    }
}
