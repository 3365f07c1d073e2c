import FoundationEssentials
public import HTTP
import JWT
public import Policy
public import Runtime

/// The REQUEST authorizer for `/tenants/{tenantId}/…`: identity sources are the `Authorization` header and the
/// `tenantId` path parameter. A caller whose valid token's tenant claim equals `tenantId` is allowed on that tenant's
/// paths; a valid token for another tenant gets an explicit Deny (403); no or bad token fails `Unauthorized` (401).
/// REST APIs and HTTP API payload 1.0 get IAM policies; HTTP API payload 2.0 gets simple responses.
public struct RequestAuthorizer: Sendable {
    private let verifier: BearerTokenVerifier

    /// An authorizer trusting `verifier`'s issuers.
    public init(verifier: BearerTokenVerifier) {
        self.verifier = verifier
    }

    /// The decision for one REQUEST event.
    public func decide(_ event: RequestAuthorizerEvent) async -> AuthorizerDecision {
        guard let token = try? await verifier.verify(authorization: event.header("authorization")),
              let subject = token.claims.subject, !subject.isEmpty
        else { return .unauthorized }
        let tenantID = event.parameters["tenantId"] ?? ""
        let tenant = token.claims[BearerTokenVerifier.tenantClaim]?.stringValue
        let arn = event.resourceARN.flatMap(ExecuteAPIARN.init)
        var policy = arn.map(PolicyBuilder.init(methodARN:))
        if !tenantID.isEmpty, tenant == tenantID, (try? policy?.allow("*", "/tenants/\(tenantID)/*")) != nil {
            try? policy?.allow("*", "/tenants/\(tenantID)")
            return .allow(principalID: subject, policy: (try? policy?.build()) ?? PolicyDocument(statements: []),
                          context: BearerTokenVerifier.context(for: token))
        }
        let denied = arn.map { PolicyDocument(statements: [.init(effect: .deny, resources: [$0.description])]) }
        return .deny(principalID: subject, policy: denied ?? PolicyDocument(statements: []))
    }

    /// The response document for `event`'s payload format; nil for `.unauthorized`.
    public func respond(to bytes: [UInt8]) async throws -> [UInt8] {
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
            guard let simple = decision.simpleResponse else { throw Self.unauthorized }
            return Array(try encoder.encode(simple))
        }
        guard let response = decision.iamResponse else { throw Self.unauthorized }
        return Array(try encoder.encode(response))
    }

    private static let unauthorized = LambdaError(type: AuthorizerDecision.unauthorizedMessage,
                                                  message: AuthorizerDecision.unauthorizedMessage)

    /// The Lambda runtime.
    public static func runtime() throws -> LambdaRuntime {
        let authorizer = RequestAuthorizer(verifier: try BearerTokenVerifier.fromEnvironment())
        return LambdaRuntime(bytes: { event, _ in try await authorizer.respond(to: event) })
    }
}

extension RequestAuthorizer: LambdaFunction {
    /// A REQUEST authorizer, for `--describe`.
    public static var description: FunctionDescription { .authorizer(.request) }
}
