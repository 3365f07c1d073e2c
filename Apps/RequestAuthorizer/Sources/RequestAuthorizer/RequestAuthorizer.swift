import JWT
import JSON
public import HTTP
import ExampleTokens
public import Policy

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
        let tenant = token.claims[ExampleTokens.tenantClaim]?.stringValue
        let arn = event.resourceARN.flatMap(ExecuteAPIARN.init)
        var policy = arn.map(PolicyBuilder.init(methodARN:))
        if !tenantID.isEmpty, tenant == tenantID, (try? policy?.allow("*", "/tenants/\(tenantID)/*")) != nil {
            try? policy?.allow("*", "/tenants/\(tenantID)")
            return .allow(principalID: subject, policy: (try? policy?.build()) ?? PolicyDocument(statements: []),
                          context: ExampleTokens.context(for: token))
        }
        let denied = arn.map { PolicyDocument(statements: [.init(effect: .deny, resources: [$0.description])]) }
        return .deny(principalID: subject, policy: denied ?? PolicyDocument(statements: []))
    }
}
