import JSON
import FoundationEssentials
import HTTP
import JWT
import Policy

/// The Lambda TOKEN and REQUEST authorizers as API Gateway runs them: identity sources present (else 401 without a
/// call), an answer cached under exactly those values for the authorizer's TTL, a policy evaluated against each
/// request's `methodArn` (a cached policy for another route never leaks through), and API Gateway's answers for
/// every failure.
final class LambdaAuthorizers: Sendable {
    /// What the gateway does with the request.
    enum Outcome: Sendable {
        /// Call the function with this authorizer context.
        case allow(context: [String: JSONValue])
        /// Answer this instead.
        case refuse(GatewayRefusal)
    }

    /// An authorizer's answer as the cache keeps it.
    enum Answer: Sendable {
        /// An IAM policy, evaluated for every request it serves.
        case policy(principalID: String, document: PolicyDocument, context: [String: JSONValue])
        /// An HTTP API simple response.
        case simple(isAuthorized: Bool, context: [String: JSONValue])
    }

    private let template: LocalTemplate
    private let invoke: Gateway.Invoke
    private let cache = ExpiringCache<Answer>()

    init(template: LocalTemplate, invoke: @escaping Gateway.Invoke) {
        self.template = template
        self.invoke = invoke
    }

    /// `sentPath` is the path as the client sent it (a REST event's `requestContext.path`).
    func authorize(_ route: LocalTemplate.Route, _ request: HTTPRequest, sentPath: String) async -> Outcome {
        let methodARN = GatewayEvents.methodARN(route.method, request.path,
                                                stage: route.api == .rest ? Gateway.restStage : "$default")
        let (functionID, sources, ttl, event): (String, [String], Int, [UInt8])
        switch route.authorizer {
        case .token(let function, let header, let seconds):
            guard let value = GatewayEvents.headerValue(request, header, api: route.api), !value.isEmpty else {
                return .refuse(Self.unauthorized("no or invalid token"))
            }
            (functionID, sources, ttl) = (function, [value], seconds)
            event = (try? Array(JSONEncoder().encode(TokenAuthorizerEvent(authorizationToken: value, methodArn: methodARN)))) ?? []
        case .request(let function, let identitySources, let seconds):
            let values = identitySources.map { GatewayEvents.value(of: $0, request, route: route) ?? "" }
            guard !values.contains(where: \.isEmpty) else { return .refuse(Self.unauthorized("no or invalid token")) }
            (functionID, sources, ttl) = (function, values, seconds)
            event = GatewayEvents.requestAuthorizerEvent(request, route: route, sentPath: sentPath,
                                                         identityValues: values, methodARN: methodARN)
        case .none, .jwt, .iam, .cognito:
            return .refuse(Self.failure(route.api))
        }
        let key = functionID + "\u{0}" + sources.joined(separator: "\u{0}")
        let now = currentTime()
        if let cached = cache.value(for: key, now: now) { return Self.outcome(of: cached, for: methodARN) }
        guard let function = template.functions[functionID],
              let outcome = await invoke(function, event, request.requestID)
        else { return .refuse(Self.failure(route.api)) }
        switch outcome {
        case .error(let error) where error.message == AuthorizerDecision.unauthorizedMessage:
            return .refuse(Self.unauthorized("no or invalid token"))
        case .error, .timedOut:
            return .refuse(Self.failure(route.api))
        case .response(let bytes):
            guard let answer = Self.answer(bytes, api: route.api) else { return .refuse(Self.failure(route.api)) }
            cache.insert(answer, for: key, now: now, seconds: ttl)
            return Self.outcome(of: answer, for: methodARN)
        }
    }

    /// The authorizer's output read as its API type reads it; nil for bad output.
    private static func answer(_ bytes: [UInt8], api: LocalTemplate.APIKind) -> Answer? {
        let decoder = JSONDecoder()
        if api == .http, let simple = try? decoder.decode(SimpleAuthorizerResponse.self, from: Data(bytes)) {
            return .simple(isAuthorized: simple.isAuthorized, context: text(simple.context))
        }
        guard let iam = try? decoder.decode(IAMAuthorizerResponse.self, from: Data(bytes)) else { return nil }
        return .policy(principalID: iam.principalId, document: iam.policyDocument, context: text(iam.context))
    }

    private static func text(_ context: AuthorizerContext?) -> [String: JSONValue] {
        (context ?? [:]).mapValues { JSONValue.string($0.description) }
    }

    private static func outcome(of answer: Answer, for methodARN: String) -> Outcome {
        switch answer {
        case .simple(true, let context):
            return .allow(context: context)
        case .simple(false, _):
            return .refuse(GatewayRefusal(.accessDenied, reason: "not allowed", .message(.forbidden, "Forbidden")))
        case .policy(let principalID, let document, var context):
            switch document.evaluate(resource: methodARN) {
            case .allow:
                context["principalId"] = .string(principalID)
                context["integrationLatency"] = .number(1)
                return .allow(context: context)
            case .explicitDeny:
                return .refuse(GatewayRefusal(.accessDenied, reason: "explicit deny", .message(
                    .forbidden, "User is not authorized to access this resource with an explicit deny")))
            case .implicitDeny:
                return .refuse(GatewayRefusal(.accessDenied, reason: "not allowed",
                                              .message(.forbidden, "User is not authorized to access this resource")))
            }
        }
    }

    private static func unauthorized(_ reason: String) -> GatewayRefusal {
        GatewayRefusal(.unauthorized, reason: reason, .message(.unauthorized, "Unauthorized"))
    }

    /// An authorizer that crashed, timed out, gave bad output or failed with other text: REST answers 500 with a
    /// null message and `x-amzn-ErrorType: AuthorizerConfigurationException`; an HTTP API 500 Internal Server Error.
    static func failure(_ api: LocalTemplate.APIKind) -> GatewayRefusal {
        guard api == .rest else {
            return GatewayRefusal(nil, reason: "authorizer error", .message(.internalServerError, "Internal Server Error"))
        }
        return GatewayRefusal(nil, reason: "authorizer error", HTTPResponse(
            status: .internalServerError,
            headers: ["content-type": "application/json", "x-amzn-errortype": "AuthorizerConfigurationException"],
            body: Array(#"{"message":null}"#.utf8)))
    }
}
