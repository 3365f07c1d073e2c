import FoundationEssentials
public import Policy
public import Runtime

extension LambdaRuntime {
    /// A TOKEN authorizer: `decide` returns a typed decision; allow and deny become IAM responses, `.unauthorized`
    /// the exact `Unauthorized` error API Gateway turns into 401.
    public init(tokenAuthorizer decide: @escaping @Sendable (TokenAuthorizerEvent) async -> AuthorizerDecision) {
        self.init { (event: TokenAuthorizerEvent, _: LambdaContext) in
            guard let response = await decide(event).iamResponse else { throw LambdaError.unauthorized }
            return response
        }
    }

    /// A REQUEST authorizer: REST APIs and HTTP API payload 1.0 get IAM responses, HTTP API payload 2.0 simple
    /// responses; `.unauthorized` is the exact `Unauthorized` error in both.
    public init(requestAuthorizer decide: @escaping @Sendable (RequestAuthorizerEvent) async -> AuthorizerDecision) {
        self.init(bytes: { bytes, _ in
            let event: RequestAuthorizerEvent
            do {
                event = try JSONDecoder().decode(RequestAuthorizerEvent.self, from: Data(bytes))
            } catch {
                throw LambdaError(type: "InvalidEvent", message: "the event is not a REQUEST authorizer event")
            }
            let decision = await decide(event)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            if event.version == "2.0" {
                guard let simple = decision.simpleResponse else { throw LambdaError.unauthorized }
                return Array(try encoder.encode(simple))
            }
            guard let response = decision.iamResponse else { throw LambdaError.unauthorized }
            return Array(try encoder.encode(response))
        })
    }
}

extension LambdaError {
    /// Exactly `Unauthorized`: what a Lambda authorizer fails with for API Gateway to answer 401.
    static let unauthorized = LambdaError(type: AuthorizerDecision.unauthorizedMessage,
                                          message: AuthorizerDecision.unauthorizedMessage)
}
