import JSON
public import Policy
public import Runtime

extension LambdaRuntime {
    /// A TOKEN authorizer: `decide` returns a typed decision; allow and deny become IAM responses, `.unauthorized`
    /// the exact `Unauthorized` error API Gateway turns into 401.
    /// With `observability`, every decision is counted and audited (layer `authorizer`).
    public init(tokenAuthorizer decide: @escaping @Sendable (TokenAuthorizerEvent) async -> AuthorizerDecision,
                observability: Observability? = nil) {
        self.init(bytes: { bytes, context in
            // Read in one pass, building only the two strings it needs (no JSONDecoder on the hot path).
            guard let event = TokenAuthorizerEvent(reading: bytes) else {
                throw LambdaError(type: "InvalidEvent", message: "the event is not a TOKEN authorizer event")
            }
            let decision = await decide(event)
            observability?.record(decision, route: event.methodArn, requestID: context.requestID)
            guard let response = decision.iamResponse else { throw LambdaError(decision) }
            return try Self.authorizerJSON(response)
        })
    }

    /// An authorizer's answer: compact, members sorted.
    private static func authorizerJSON(_ response: some Encodable) throws -> [UInt8] {
        try CompactJSONEncoder().encode(response)
    }

    /// A REQUEST authorizer: REST APIs and HTTP API payload 1.0 get IAM responses, HTTP API payload 2.0 simple
    /// responses; `.unauthorized` is the exact `Unauthorized` error in both.
    /// With `observability`, every decision is counted and audited (layer `authorizer`).
    public init(requestAuthorizer decide: @escaping @Sendable (RequestAuthorizerEvent) async -> AuthorizerDecision,
                observability: Observability? = nil) {
        self.init(bytes: { bytes, context in
            // Read with the strict reader, building only the members the event type holds (no JSONDecoder).
            guard let members = try? JSONValue.object(parsing: bytes, selecting: RequestAuthorizerEvent.members),
                  let event = try? RequestAuthorizerEvent(EventMembers(members))
            else { throw LambdaError(type: "InvalidEvent", message: "the event is not a REQUEST authorizer event") }
            let log = PolicyDecisionLog()
            let decision = await PolicyDecisionLog.$current.withValue(log) { await decide(event) }
            observability?.record(decision, route: event.resourceARN ?? event.path ?? "", requestID: context.requestID,
                                  policy: log.recorded.last)
            if event.version == "2.0" {
                guard let simple = decision.simpleResponse else { throw LambdaError(decision) }
                return try Self.authorizerJSON(simple)
            }
            guard let response = decision.iamResponse else { throw LambdaError(decision) }
            return try Self.authorizerJSON(response)
        })
    }
}

extension LambdaError {
    /// Exactly `Unauthorized`: what a Lambda authorizer fails with for API Gateway to answer 401.
    static let unauthorized = LambdaError(type: AuthorizerDecision.unauthorizedMessage,
                                          message: AuthorizerDecision.unauthorizedMessage, isAnswer: true)

    /// The error a decision that is not a response fails the invocation with: `Unauthorized` (401), or, for a
    /// decision that could not be made, `AuthorizerFailed` (API Gateway: 500, not cached).
    init(_ decision: AuthorizerDecision) {
        if case .failed(let reason) = decision {
            self.init(type: "AuthorizerFailed", message: reason)
        } else {
            self = .unauthorized
        }
    }
}

extension Observability {
    /// A Lambda authorizer's decision: allowed (a valid token), an explicit deny, or unauthorized (no valid token);
    /// with `policy`, the policy decision it asked (`RoutePolicies`), which the audit line then names.
    func record(_ decision: AuthorizerDecision, route: String, requestID: String, policy: PolicyDecisionLog.Entry? = nil) {
        switch (decision, policy) {
        case (.allow(let principal, _, _), let policy?), (.deny(let principal, _), let policy?):
            recordPolicyDecision(policy, layer: .authorizer, subject: principal, route: route, requestID: requestID)
            return
        default: break
        }
        switch decision {
        case .allow(let principal, _, _):
            recordDecision(.authorizer, allowed: true, reason: "valid token", subject: principal, route: route, requestID: requestID)
        case .deny(let principal, _):
            recordDecision(.authorizer, allowed: false, reason: "explicit deny", subject: principal, route: route,
                           requestID: requestID)
        case .unauthorized:
            recordDecision(.authorizer, allowed: false, reason: "invalid token", subject: nil, route: route, requestID: requestID)
        case .failed:
            recordDecision(.authorizer, allowed: false, reason: "failed", subject: nil, route: route, requestID: requestID)
        }
    }
}
