public import HTTP
import ExampleTokens
import JWT
public import Policy

/// The REQUEST authorizer for DPoP-bound tokens (RFC 9449): every call carries `Authorization: DPoP TOKEN` and a fresh
/// proof in `DPoP`, signed by the key the token is bound to, for this method and the URL the client called. It
/// decides per request — proofs are never alike, so its results are not cached (`ReauthorizeEvery: 0`, no identity
/// sources) — and answers in the two ways API Gateway can tell apart, which the API's gateway responses turn into
/// `401` with the challenge RFC 9449 §7.1 asks: a token problem fails `Unauthorized` (`error="invalid_token"`), a
/// proof problem is an explicit Deny (`error="invalid_dpop_proof"`).
public struct DPoPAuthorizer: Sendable {
    private let verifier: DPoPTokenVerifier
    private let clock: @Sendable () -> Double

    /// An authorizer checking tokens and proofs with `verifier` at the times `clock` tells (default: the system's).
    public init(verifier: DPoPTokenVerifier, clock: (@Sendable () -> Double)? = nil) {
        self.verifier = verifier
        self.clock = clock ?? { currentTime() }
    }

    /// The decision for one REQUEST event (REST, or HTTP API payload 1.0 or 2.0).
    public func decide(_ event: RequestAuthorizerEvent) async -> AuthorizerDecision {
        guard let method = event.httpMethod ?? event.requestContext?.http?.method, let url = Self.url(of: event) else {
            return .unauthorized
        }
        let arn = event.resourceARN.map { PolicyDocument(statements: [.init(effect: .deny, resources: [$0])]) }
        // One proof a request (RFC 9449 §4.3): two `DPoP` headers, or an HTTP API's comma-joined repeat, are refused.
        let proofs = event.headerValues("dpop")
        guard proofs.count <= 1, proofs.first?.contains(",") != true else {
            return .deny(principalID: "dpop", policy: arn ?? PolicyDocument(statements: []))
        }
        do {
            let (token, thumbprint) = try await verifier.verify(authorization: event.header("authorization"),
                                                                proof: event.header("dpop"), method: method, url: url,
                                                                now: clock())
            var context = ExampleTokens.context(for: token)
            context["jkt"] = .string(thumbprint)
            let allowed = event.resourceARN.map { PolicyDocument(statements: [.init(effect: .allow, resources: [$0])]) }
            return .allow(principalID: token.claims.subject ?? "", policy: allowed ?? PolicyDocument(statements: []),
                          context: context)
        } catch {
            switch error {
            case .invalidToken: return .unauthorized
            case .invalidProof: return .deny(principalID: "dpop", policy: arn ?? PolicyDocument(statements: []))
            }
        }
    }

    /// The URL the client called, as its proof's `htu` names it: the scheme and host API Gateway forwards, and the
    /// path as sent (REST `requestContext.path`, stage included when the client sent it; HTTP API `rawPath`).
    static func url(of event: RequestAuthorizerEvent) -> String? {
        guard let host = event.header("host"), !host.isEmpty,
              let path = event.requestContext?.path ?? event.rawPath ?? event.requestContext?.http?.path else { return nil }
        let scheme = event.header("x-forwarded-proto") ?? "https"
        return "\(scheme)://\(host)\(path)"
    }
}
