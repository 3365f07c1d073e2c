import LocalStack
import FoundationEssentials
import HTTP
import JWT
import Policy
import Runtime

/// API Gateway on one machine: for each route of the template, the route's authorizer as API Gateway runs it (the
/// built-in JWT authorizer, or a Lambda TOKEN/REQUEST authorizer with result caching and IAM policy evaluation),
/// then the function with the payload version of the route's API type.
final class Gateway: Sendable {
    private let template: LocalTemplate
    private let functions: FunctionInstances
    private let jwtKeys: JWKSet
    private let issuer: String
    private let cache = ExpiringCache<AuthorizerOutcome>()

    /// What a Lambda authorizer decided, in the terms the gateway answers with.
    enum AuthorizerOutcome: Sendable {
        case allow(context: [String: JSONAny])
        case response(HTTPResponse)
    }

    init(template: LocalTemplate, functions: FunctionInstances, identityProvider: IdentityProvider, jwks: JWKSet) {
        self.template = template
        self.functions = functions
        self.jwtKeys = jwks
        self.issuer = identityProvider.issuer
    }

    /// A router holding every route of the template.
    func router() -> Router {
        var router = Router()
        for route in template.routes {
            router.on(route.method, route.path, requires: .public) { [self] request, _ in await self.handle(route, request) }
        }
        return router
    }

    static let unauthorized = HTTPResponse.message(.unauthorized, "Unauthorized")
    static let internalError = HTTPResponse.message(.internalServerError, "Internal Server Error")
    static let badGateway = HTTPResponse.message(HTTPStatus(rawValue: 502), "Internal Server Error")

    private func handle(_ route: LocalTemplate.Route, _ request: HTTPRequest) async -> HTTPResponse {
        guard let function = template.functions[route.function] else { return Self.internalError }
        let event: [UInt8]
        switch (route.authorizer, route.api) {
        case (.jwt(let audiences), _):
            switch jwtAuthorize(request, audiences: audiences, scopes: route.scopes) {
            case .success(let block): event = GatewayEvents.httpAPI(request, routeKey: "\(route.method) \(route.path)", authorizer: block)
            case .failure(let response): return response.response
            }
        case (.none, .http):
            event = GatewayEvents.httpAPI(request, routeKey: "\(route.method) \(route.path)", authorizer: nil)
        case (.none, .rest):
            event = GatewayEvents.rest(request, resource: route.path, authorizer: nil)
        case (.token, _), (.request, _):
            switch await lambdaAuthorize(route, request) {
            case .allow(let context):
                event = route.api == .rest ? GatewayEvents.rest(request, resource: route.path, authorizer: context)
                    : GatewayEvents.httpAPI(request, routeKey: "\(route.method) \(route.path)", authorizer: .object(["lambda": .object(context)]))
            case .response(let response):
                return response
            }
        }
        guard case .response(let bytes)? = await functions.invoke(function, event: event, requestID: request.requestID),
              let response = GatewayEvents.response(bytes)
        else { return Self.badGateway }
        return response
    }

    struct Refusal: Error { let response: HTTPResponse }

    /// The HTTP API JWT authorizer: the token (with or without `Bearer `) must verify against the issuer's keys,
    /// and grant one of the route's `scopes` when it lists any (else 403, `insufficient_scope`).
    private func jwtAuthorize(_ request: HTTPRequest, audiences: [String], scopes: [String]) -> Result<JSONAny, Refusal> {
        guard var token = GatewayEvents.headerValue(request, "authorization", api: .http), !token.isEmpty else {
            return .failure(Refusal(response: Self.unauthorized))
        }
        if token.lowercased().hasPrefix("bearer ") { token = String(token.dropFirst(7)) }
        let verifier = JWTVerifier(keys: jwtKeys, policy: ClaimsPolicy(issuer: issuer, audiences: Set(audiences)))
        do {
            let claims = try verifier.verify(token).claims
            guard scopes.isEmpty || scopes.contains(where: claims.grants) else {
                var response = HTTPResponse.message(.forbidden, "Forbidden")
                response.headers["www-authenticate"] = "Bearer scope=\"\(scopes.joined(separator: " "))\" "
                    + "error=\"insufficient_scope\" error_description=\"the token does not have the required scopes\""
                return .failure(Refusal(response: response))
            }
            let text = claims.members.compactMapValues { value -> JSONAny? in
                switch value {
                case .string(let string): .string(string)
                case .number, .bool: .string(value.jsonText)
                case .array(let values): .string("[" + values.map(\.jsonText).joined(separator: " ") + "]")
                default: nil
                }
            }
            return .success(.object(["jwt": .object(["claims": .object(text), "scopes": .array(claims.scopes.map { .string($0) })])]))
        } catch {
            var response = Self.unauthorized
            response.headers["www-authenticate"] = "Bearer scope=\"\" error=\"\(error.bearerError)\" error_description=\"\(error.bearerErrorDescription)\""
            return .failure(Refusal(response: response))
        }
    }

    /// A Lambda authorizer: identity sources present (else 401 without a call), a cached answer when fresh,
    /// otherwise the authorizer's answer evaluated as API Gateway does.
    private func lambdaAuthorize(_ route: LocalTemplate.Route, _ request: HTTPRequest) async -> AuthorizerOutcome {
        let methodARN = GatewayEvents.methodARN(route.method, request.path, stage: route.api == .rest ? "dev" : "$default")
        let (functionID, sources, ttl, event): (String, [String], Int, [UInt8])
        switch route.authorizer {
        case .token(let function, let header, let seconds):
            guard let value = GatewayEvents.headerValue(request, header, api: route.api), !value.isEmpty else {
                return .response(Self.unauthorized)
            }
            sources = [value]
            (functionID, ttl) = (function, seconds)
            event = (try? Array(JSONEncoder().encode(TokenAuthorizerEvent(authorizationToken: value, methodArn: methodARN)))) ?? []
        case .request(let function, let identitySources, let seconds):
            let values = identitySources.map { GatewayEvents.value(of: $0, request, route: route) ?? "" }
            guard !values.contains(where: \.isEmpty) else { return .response(Self.unauthorized) }
            sources = values
            (functionID, ttl) = (function, seconds)
            let http = route.api == .http
            let authorizerEvent = RequestAuthorizerEvent(
                version: http ? "2.0" : nil, methodArn: http ? nil : methodARN, routeArn: http ? methodARN : nil,
                identitySource: http ? .list(values) : nil,
                resource: route.path, path: request.path, httpMethod: request.method,
                headers: Dictionary(uniqueKeysWithValues: GatewayEvents.groupedHeaders(request).map {
                    (http ? $0.name.lowercased() : $0.name, (http ? $0.values.joined(separator: ",") : $0.values.last) ?? "")
                }),
                queryStringParameters: request.query.compactMapValues(\.last), pathParameters: request.pathParameters,
                stageVariables: [:], requestContext: .init(
                    accountId: GatewayEvents.account, apiId: GatewayEvents.apiID, stage: http ? "$default" : "dev",
                    requestId: request.requestID, identity: http ? nil : .init(sourceIp: request.sourceIP),
                    http: http ? .init(method: request.method, path: request.path, sourceIp: request.sourceIP) : nil))
            event = (try? Array(JSONEncoder().encode(authorizerEvent))) ?? []
        default:
            return .response(Self.internalError)
        }
        let key = functionID + "\u{0}" + sources.joined(separator: "\u{0}")
        let now = currentTime()
        if let cached = cache.value(for: key, now: now) {
            // A cached policy is evaluated again for this method: a policy for another route must not leak through.
            if case .allow(let policyContext) = cached, policyContext["__policy"] != nil {
                return evaluate(policyContext, methodARN)
            }
            return cached
        }
        guard let function = template.functions[functionID],
              let outcome = await functions.invoke(function, event: event, requestID: request.requestID)
        else { return .response(Self.internalError) }
        switch outcome {
        case .error(let error):
            return .response(error.message == "Unauthorized" ? Self.unauthorized : Self.internalError)
        case .timedOut:
            return .response(Self.internalError)
        case .response(let bytes):
            if route.api == .http, let simple = try? JSONDecoder().decode(SimpleAuthorizerResponse.self, from: Data(bytes)) {
                // HTTP API simple response: no policy, just yes or no.
                let outcome: AuthorizerOutcome = simple.isAuthorized
                    ? .allow(context: (simple.context ?? [:]).mapValues { JSONAny.string($0.description) })
                    : .response(.message(.forbidden, "Forbidden"))
                cache.insert(outcome, for: key, now: now, seconds: ttl)
                return outcome
            }
            guard let answer = try? JSONDecoder().decode(IAMAuthorizerResponse.self, from: Data(bytes)),
                  let policy = try? JSONEncoder().encode(answer.policyDocument) else { return .response(Self.internalError) }
            var stored = (answer.context ?? [:]).mapValues { JSONAny.string($0.description) }
            stored["principalId"] = .string(answer.principalId)
            stored["__policy"] = .string(String(decoding: policy, as: UTF8.self))
            cache.insert(.allow(context: stored), for: key, now: now, seconds: ttl)
            return evaluate(stored, methodARN)
        }
    }

    private func evaluate(_ stored: [String: JSONAny], _ methodARN: String) -> AuthorizerOutcome {
        guard case .string(let text)? = stored["__policy"],
              let policy = try? JSONDecoder().decode(PolicyDocument.self, from: Data(text.utf8)) else {
            return .response(Self.internalError)
        }
        switch policy.evaluate(resource: methodARN) {
        case .allow:
            var context = stored
            context["__policy"] = nil
            context["integrationLatency"] = .number(1)
            return .allow(context: context)
        case .explicitDeny:
            return .response(.message(.forbidden, "User is not authorized to access this resource with an explicit deny"))
        case .implicitDeny:
            return .response(.message(.forbidden, "User is not authorized to access this resource"))
        }
    }
}
