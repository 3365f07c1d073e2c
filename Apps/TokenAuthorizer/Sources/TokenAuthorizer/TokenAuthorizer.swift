public import HTTP
import ExampleTokens
import JWT
public import Policy

/// The REST API TOKEN authorizer: authentication only. A valid `Bearer` token gets an Allow for every method of the
/// API stage (so a cached answer also fits the caller's next route) and a context of `sub`, `scope`, `name` and
/// `tenant` for the handlers to authorize with; anything else fails with exactly `Unauthorized` (401).
public struct TokenAuthorizer: Sendable {
    private let verifier: BearerTokenVerifier

    /// An authorizer trusting `verifier`'s issuers.
    public init(verifier: BearerTokenVerifier) {
        self.verifier = verifier
    }

    /// The decision for one TOKEN event.
    public func decide(_ event: TokenAuthorizerEvent) async -> AuthorizerDecision {
        guard let arn = ExecuteAPIARN(event.methodArn),
              let token = try? await verifier.verify(authorization: event.authorizationToken),
              let subject = token.claims.subject, !subject.isEmpty
        else { return .unauthorized }
        var policy = PolicyBuilder(methodARN: arn)
        policy.allowAllMethods()
        guard let document = try? policy.build() else { return .unauthorized }
        return .allow(principalID: subject, policy: document, context: ExampleTokens.context(for: token))
    }
}
