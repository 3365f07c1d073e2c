/// An authorizer's answer in IAM form (REST APIs, and HTTP APIs without simple responses).
public struct IAMAuthorizerResponse: Codable, Sendable, Equatable {
    /// The caller's identifier, shown in logs and `$context.authorizer.principalId`.
    public var principalId: String
    /// What the caller may invoke.
    public var policyDocument: PolicyDocument
    /// Values handed to the integration as `requestContext.authorizer`.
    public var context: AuthorizerContext?
    /// An API key for usage plans, when the authorizer is the key source.
    public var usageIdentifierKey: String?

    /// A response.
    public init(principalId: String, policyDocument: PolicyDocument, context: AuthorizerContext? = nil,
                usageIdentifierKey: String? = nil) {
        self.principalId = principalId
        self.policyDocument = policyDocument
        self.context = context
        self.usageIdentifierKey = usageIdentifierKey
    }
}

/// An HTTP API authorizer's simple answer (payload 2.0 with simple responses enabled).
public struct SimpleAuthorizerResponse: Codable, Sendable, Equatable {
    /// Whether the request may proceed; false gives the caller 403.
    public var isAuthorized: Bool
    /// Values handed to the integration as `requestContext.authorizer.lambda`.
    public var context: AuthorizerContext?

    /// A response.
    public init(isAuthorized: Bool, context: AuthorizerContext? = nil) {
        self.isAuthorized = isAuthorized
        self.context = context
    }
}

/// What an authorizer decided, typed instead of magic strings.
public enum AuthorizerDecision: Sendable, Equatable {
    /// The caller is who they claim: allow what `policy` allows, and pass `context` on.
    case allow(principalID: String, policy: PolicyDocument, context: AuthorizerContext)
    /// The caller is known but not allowed here: an explicit Deny (403).
    case deny(principalID: String, policy: PolicyDocument)
    /// The caller is not authenticated: the authorizer must fail with exactly `Unauthorized` (401).
    case unauthorized
    /// The authorizer could not decide (a service it asks gave no answer): it fails with another error, which API
    /// Gateway answers with 500 and, unlike a Deny, does not cache. `reason` goes to the function's error report,
    /// never to the client.
    case failed(reason: String)

    /// The message a Lambda authorizer fails with so API Gateway answers 401.
    public static let unauthorizedMessage = "Unauthorized"

    /// The IAM-form response; nil for `unauthorized` and `failed`, which are not responses but errors.
    public var iamResponse: IAMAuthorizerResponse? {
        switch self {
        case .allow(let principal, let policy, let context):
            IAMAuthorizerResponse(principalId: principal, policyDocument: policy, context: context)
        case .deny(let principal, let policy):
            IAMAuthorizerResponse(principalId: principal, policyDocument: policy)
        case .unauthorized, .failed:
            nil
        }
    }

    /// The simple response; nil for `unauthorized` and `failed`.
    public var simpleResponse: SimpleAuthorizerResponse? {
        switch self {
        case .allow(_, _, let context): SimpleAuthorizerResponse(isAuthorized: true, context: context)
        case .deny: SimpleAuthorizerResponse(isAuthorized: false)
        case .unauthorized, .failed: nil
        }
    }
}
